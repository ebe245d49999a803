package io.portcullis.authorization;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link AccessExplainer}: the same decision the broker would make, and the lines that
 * say how it was reached (groups, each binding considered and why it did or did not apply).
 */
public record AccessExplanation(AccessDecision decision, List<String> lines) {
    public AccessExplanation {
        Objects.requireNonNull(decision, "decision");
        lines = List.copyOf(lines);
    }

    /** The lines joined with newlines, for a terminal or an API response. */
    public String text() {
        return String.join("\n", lines);
    }
}
