package io.portcullis.session;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what sessions did with routed messages. Updated from any event loop without locks;
 * read by the metrics endpoint (later) and by tests.
 */
public final class SessionMetrics {
    private final LongAdder sent = new LongAdder();
    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedExpired = new LongAdder();
    private final LongAdder droppedTooLarge = new LongAdder();
    private final LongAdder droppedOfflineQos0 = new LongAdder();
    private final LongAdder publishersPaused = new LongAdder();
    private final LongAdder sessionsExpired = new LongAdder();

    void sent() {
        sent.increment();
    }

    void dropped(DropReason reason) {
        switch (reason) {
            case QUEUE_FULL -> droppedQueueFull.increment();
            case EXPIRED -> droppedExpired.increment();
            case TOO_LARGE -> droppedTooLarge.increment();
            case OFFLINE_QOS0 -> droppedOfflineQos0.increment();
        }
    }

    void publisherPaused() {
        publishersPaused.increment();
    }

    void sessionExpired() {
        sessionsExpired.increment();
    }

    public long messagesSent() {
        return sent.sum();
    }

    public long messagesDropped(DropReason reason) {
        return switch (reason) {
            case QUEUE_FULL -> droppedQueueFull.sum();
            case EXPIRED -> droppedExpired.sum();
            case TOO_LARGE -> droppedTooLarge.sum();
            case OFFLINE_QOS0 -> droppedOfflineQos0.sum();
        };
    }

    public long publisherPauses() {
        return publishersPaused.sum();
    }

    public long sessionsExpired() {
        return sessionsExpired.sum();
    }

    /** Why a session did not send a message it was given. */
    public enum DropReason {
        /** The queue was full and the overflow policy discarded it. */
        QUEUE_FULL,
        /** Its Message Expiry Interval passed before it could be sent. */
        EXPIRED,
        /** It exceeds the client's Maximum Packet Size [MQTT-3.1.2-25]. */
        TOO_LARGE,
        /** A QoS 0 message for a session without a connection is not kept. */
        OFFLINE_QOS0
    }
}
