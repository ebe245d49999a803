package io.portcullis.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file: the file, the key path within it (for example
 * {@code clients[2].clientCertificateAuthentication.allowedThumbprints}), what is wrong, and how to
 * fix it. Immutable.
 */
public record ConfigProblem(String file, String key, String problem, String fix) {
    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return file + ": " + key + ": " + problem + ". Fix: " + fix;
    }
}
