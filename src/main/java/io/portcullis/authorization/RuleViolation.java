package io.portcullis.authorization;

import java.util.Objects;

/**
 * One problem {@link RegistryRules} found in a registry: where it is ({@code path}, e.g.
 * {@code clientGroups[sensors].query}), what is wrong, and how to fix it.
 */
public record RuleViolation(String path, String message, String fix) {
    public RuleViolation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    @Override
    public String toString() {
        return path + ": " + message + " (fix: " + fix + ")";
    }
}
