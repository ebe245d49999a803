package io.portcullis.admin.composition;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One registry resource as the admin API shows it: kind, name, where it was declared, its normalized
 * configuration entry, its entity tag, and for an API-made resource that is stored but not in effect,
 * why ({@code inactiveReason}, otherwise {@code null}). The entry is never modified; immutable otherwise.
 */
public record ResourceView(ResourceKind kind, String name, Origin origin, ObjectNode entry, String etag,
                           String inactiveReason) {
    public ResourceView {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(etag, "etag");
    }

    public boolean isActive() {
        return inactiveReason == null;
    }
}
