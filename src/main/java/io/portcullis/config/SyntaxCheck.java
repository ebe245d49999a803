package io.portcullis.config;

import java.util.Optional;

/**
 * Checks the syntax of a text the configuration only stores, such as a client group query or a topic
 * template, whose grammar belongs to another part of the broker. Returns what is wrong (with the
 * position where the grammar has one), or empty when the text is valid. Must be thread-safe.
 */
@FunctionalInterface
public interface SyntaxCheck {
    /** Accepts everything; used until a real check is plugged in. */
    SyntaxCheck ACCEPT_ALL = text -> Optional.empty();

    Optional<String> problem(String text);
}
