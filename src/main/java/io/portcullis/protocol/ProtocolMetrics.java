package io.portcullis.protocol;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of connection outcomes and publish results. Updated from every event loop without locks;
 * read by tests now and by the metrics endpoint later.
 */
public final class ProtocolMetrics {
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder publishesReceived = new LongAdder();
    private final LongAdder publishesDenied = new LongAdder();
    private final LongAdder qos0PublishesDropped = new LongAdder();
    private final LongAdder subscriptionsDenied = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();

    void connectionAccepted() {
        connectionsAccepted.increment();
    }

    void connectionRefused() {
        connectionsRefused.increment();
    }

    void publishReceived() {
        publishesReceived.increment();
    }

    void publishDenied(int qos) {
        publishesDenied.increment();
        if (qos == 0) {
            qos0PublishesDropped.increment();
        }
    }

    void subscriptionDenied() {
        subscriptionsDenied.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    public long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public long publishesReceived() {
        return publishesReceived.sum();
    }

    public long publishesDenied() {
        return publishesDenied.sum();
    }

    /** QoS 0 messages dropped because the publisher may not publish to the topic (SPEC 3.5). */
    public long qos0PublishesDropped() {
        return qos0PublishesDropped.sum();
    }

    public long subscriptionsDenied() {
        return subscriptionsDenied.sum();
    }

    /** Connections closed for a malformed packet or a protocol error. */
    public long protocolErrors() {
        return protocolErrors.sum();
    }
}
