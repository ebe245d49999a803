package io.portcullis.registry;

import java.util.Objects;

/** A client group: membership is decided by {@code query} (SPEC 3.2), never listed by hand. */
public record ClientGroup(String name, String query, String description) {
    /** The built-in group that holds every client. */
    public static final String ALL = "$all";

    public ClientGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        description = description == null ? "" : description;
    }
}
