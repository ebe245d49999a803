package io.portcullis.routing;

import java.util.Objects;

/**
 * What {@link RetainedStore#retain} did with a message. A refusal carries a reason naming the limit,
 * for the caller to log with the client id and to put in a reason string.
 *
 * @param outcome stored, deleted, or which limit refused it
 * @param reason  why it was refused; {@code null} unless refused
 */
public record RetainResult(Outcome outcome, String reason) {

    public static final RetainResult STORED = new RetainResult(Outcome.STORED, null);
    public static final RetainResult DELETED = new RetainResult(Outcome.DELETED, null);

    public RetainResult {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.isRefusal() != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when the message is refused");
        }
    }

    /** Whether the message was not stored because of a limit. */
    public boolean isRefused() {
        return outcome.isRefusal();
    }

    /** What happened to the message. */
    public enum Outcome {
        /** Stored as its topic's retained message, new or replacing the previous one. */
        STORED,
        /** An empty payload removed its topic's retained message, if there was one [MQTT-3.3.1-6]. */
        DELETED,
        /** Not stored: the store already holds its maximum number of retained messages. */
        COUNT_LIMIT_REACHED,
        /** Not stored: the payload is larger than the maximum retained message size. */
        SIZE_LIMIT_EXCEEDED;

        boolean isRefusal() {
            return this == COUNT_LIMIT_REACHED || this == SIZE_LIMIT_EXCEEDED;
        }
    }
}
