package io.portcullis.admin.composition;

import java.util.Objects;

/**
 * One rule a resource breaks: which resource, which field of its configuration entry (for example
 * {@code query} or {@code attributes.floor}; empty for the resource as a whole), what is wrong and how
 * to fix it. Immutable.
 */
public record FieldProblem(ResourceKind kind, String name, String field, String problem, String fix) {
    public FieldProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }
}
