package io.portcullis.session;

import io.portcullis.routing.Message;

import java.util.Objects;

/**
 * What the durable store keeps about a session besides its subscriptions, in-flight packet ids and
 * queue: who owns it, how long it outlives its connection, when it lost its connection, and a Will
 * still waiting for its delay.
 *
 * @param authenticationName   the authentication name that owns the session name
 * @param expirySeconds        the Session Expiry Interval in force
 * @param disconnectedAtMillis wall-clock time the connection ended; -1 while connected
 * @param will                 the Will waiting for its delay, or {@code null}
 * @param willDelaySeconds     the Will Delay Interval, counted from {@code disconnectedAtMillis}
 */
public record StoredSession(String authenticationName, long expirySeconds, long disconnectedAtMillis, Message will,
                            long willDelaySeconds) {
    public StoredSession {
        Objects.requireNonNull(authenticationName, "authenticationName");
        if (expirySeconds < 0 || willDelaySeconds < 0) {
            throw new IllegalArgumentException("expiry and will delay must not be negative");
        }
    }

    public boolean isConnected() {
        return disconnectedAtMillis < 0;
    }

    /**
     * When the session expires if nobody resumes it. A session that was connected when the broker
     * stopped without saying so (a crash) counts as disconnected at {@code nowMillis}.
     */
    public long expiresAtMillis(long nowMillis) {
        long since = isConnected() ? nowMillis : disconnectedAtMillis;
        return since + Math.min(expirySeconds, Long.MAX_VALUE / 2_000) * 1000;
    }

    /** When the Will is due: its delay, or the session's end if that comes first [MQTT-3.1.3-9]. */
    public long willDueAtMillis(long nowMillis) {
        long since = isConnected() ? nowMillis : disconnectedAtMillis;
        return since + Math.min(Math.min(willDelaySeconds, expirySeconds), Long.MAX_VALUE / 2_000) * 1000;
    }
}
