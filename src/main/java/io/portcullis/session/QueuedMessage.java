package io.portcullis.session;

import io.portcullis.routing.Message;
import io.portcullis.topic.Topics;

import java.util.List;
import java.util.Objects;

/**
 * One message waiting for a session, with what its matching subscriptions decided: the delivery QoS,
 * the RETAIN flag to send and the subscription identifiers to echo. The message itself is shared.
 *
 * @param sequence its key in the session's durable queue, ascending in queue order; 0 when it is not
 *                 stored (memory mode, QoS 0, or a session that keeps nothing past its connection)
 */
public record QueuedMessage(Message message, int qos, boolean retain, List<Integer> subscriptionIdentifiers,
                            long sequence) {

    /** Bookkeeping bytes counted per message on top of payload and topic, so empty payloads are not free. */
    static final int OVERHEAD_BYTES = 64;

    public QueuedMessage {
        Objects.requireNonNull(message, "message");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2");
        }
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative");
        }
    }

    /** A message not (yet) in the durable store. */
    public QueuedMessage(Message message, int qos, boolean retain, List<Integer> subscriptionIdentifiers) {
        this(message, qos, retain, subscriptionIdentifiers, 0);
    }

    QueuedMessage withSequence(long newSequence) {
        return new QueuedMessage(message, qos, retain, subscriptionIdentifiers, newSequence);
    }

    /** Whether it is stored in the session's durable queue. */
    public boolean isStored() {
        return sequence > 0;
    }

    /** What the message counts against the queue's byte limit. */
    public long sizeInBytes() {
        return message.payload().length + Topics.utf8Length(message.topic()) + OVERHEAD_BYTES;
    }
}
