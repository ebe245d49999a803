package io.portcullis.session;

import io.portcullis.routing.SubscriptionOptions;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A session read back from the durable store at start-up. Its queue stays on disk: only the count,
 * bytes and first key of the queued messages are in memory; the in-flight messages are loaded.
 *
 * @param inflight            outbound messages sent and not acknowledged, in sending order
 * @param queuedCount         messages waiting in the durable queue
 * @param queuedBytes         their size as counted against the queue's byte limit
 * @param firstQueuedSequence the key of the oldest waiting message (meaningless when none waits)
 * @param nextSequence        the key the next queued message gets
 */
public record RecoveredSession(String clientId, StoredSession stored, Map<String, SubscriptionOptions> subscriptions,
                               Set<Integer> inboundQos2, List<InflightMessage> inflight, int queuedCount,
                               long queuedBytes, long firstQueuedSequence, long nextSequence) {
    public RecoveredSession {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(stored, "stored");
        subscriptions = Map.copyOf(subscriptions);
        inboundQos2 = Set.copyOf(inboundQos2);
        inflight = List.copyOf(inflight);
        if (queuedCount < 0 || queuedBytes < 0 || nextSequence < 1) {
            throw new IllegalArgumentException("queue bookkeeping out of range");
        }
    }
}
