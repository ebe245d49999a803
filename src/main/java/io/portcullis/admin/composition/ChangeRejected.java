package io.portcullis.admin.composition;

import java.util.List;
import java.util.Objects;

/**
 * A registry change through the admin API that was refused before anything was stored or swapped: why
 * (which the API maps to an HTTP status), a message, and the rules broken. Thrown by
 * {@link RegistryComposer}.
 */
public final class ChangeRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a change was refused. */
    public enum Reason {
        /** The resource breaks field rules (400). */
        VALIDATION_FAILED,
        /** No such resource (404). */
        NOT_FOUND,
        /** The change conflicts with other resources (409). */
        CONFLICT,
        /** The resource is declared in the configuration file and read-only here (409). */
        DECLARED_IN_CONFIGURATION,
        /** An If-Match or If-None-Match precondition does not hold (412). */
        PRECONDITION_FAILED
    }

    private final Reason reason;
    private final transient List<FieldProblem> problems;

    public ChangeRejected(Reason reason, String message, List<FieldProblem> problems) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.problems = List.copyOf(problems);
    }

    public ChangeRejected(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
