package io.portcullis.session;

import io.portcullis.config.MqttSettings;
import io.portcullis.routing.SubscriptionTree;

import java.time.Clock;
import java.util.Objects;

/**
 * The broker-wide parts every session uses: limits, the subscription tree its subscriptions live in,
 * the wall clock (Message Expiry Interval) and the drop counters. Immutable and shared.
 */
public record SessionServices(MqttSettings settings, SubscriptionTree subscriptions, Clock clock,
                              SessionMetrics metrics) {
    public SessionServices {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
    }
}
