package io.portcullis.config;

import io.portcullis.registry.Registry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration file that loaded without problems: where it came from, what it says, and the
 * registry snapshot built from it.
 *
 * @param file     the file, or for text parsed without a file the name given for messages
 * @param config   the parsed configuration
 * @param registry the initial registry snapshot
 */
public record LoadedConfig(Path file, BrokerConfig config, Registry registry) {
    public LoadedConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
    }
}
