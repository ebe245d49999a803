package io.portcullis.session;

import io.portcullis.routing.SubscriptionOptions;

import java.util.Map;
import java.util.Objects;

/**
 * A consistent copy of one session's state for operators, taken on the session's owner loop by
 * {@link Session#snapshot()}. Immutable, so any thread may read it.
 *
 * @param connection           the connection holding the session, or {@code null} when offline
 * @param disconnectedAtMillis when it went offline (epoch milliseconds), or -1 while connected
 * @param subscriptions        filter (as subscribed) to options
 */
public record SessionSnapshot(String clientId, String authenticationName, ConnectionDescription connection,
                              long disconnectedAtMillis, long sessionExpirySeconds,
                              Map<String, SubscriptionOptions> subscriptions, int queuedMessages,
                              int inflightMessages) {
    public SessionSnapshot {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(authenticationName, "authenticationName");
        subscriptions = Map.copyOf(subscriptions);
    }

    public boolean isConnected() {
        return connection != null;
    }
}
