package io.portcullis.session;

import io.portcullis.config.MqttSettings;
import io.portcullis.routing.SubscriptionTree;

import java.time.Clock;
import java.util.Objects;

/**
 * The broker-wide parts every session uses: limits, the subscription tree its subscriptions live in,
 * the wall clock (Message Expiry Interval), the drop counters and the journal of the durable store.
 * Immutable and shared.
 */
public record SessionServices(MqttSettings settings, SubscriptionTree subscriptions, Clock clock,
                              SessionMetrics metrics, SessionJournal journal) {
    public SessionServices {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(journal, "journal");
    }

    /** Services for sessions kept in memory only. */
    public SessionServices(MqttSettings settings, SubscriptionTree subscriptions, Clock clock,
                           SessionMetrics metrics) {
        this(settings, subscriptions, clock, metrics, SessionJournal.MEMORY);
    }
}
