package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * MQTT limits and behaviour settings (SPEC 4 and 5). Defaults are at least as generous as the managed
 * service's fixed values. Validated here; the configuration loader reports the file and key.
 */
public record MqttSettings(
        int maximumPacketSize,
        int maximumTopicLength,
        int maximumTopicLevels,
        int maximumSubscriptionsPerSession,
        int maximumFiltersPerSubscribe,
        int maximumKeepAliveSeconds,
        Duration connectTimeout,
        long maximumSessionExpirySeconds,
        int receiveMaximum,
        int maximumOutboundInflight,
        int topicAliasMaximum,
        int maximumQueuedMessages,
        long maximumQueuedBytes,
        QueueOverflowPolicy queueOverflowPolicy,
        Duration slowSubscriberGracePeriod,
        int maximumRetainedMessageSize,
        int maximumRetainedMessages,
        boolean sharedSubscriptionsEnabled) {

    public static final MqttSettings DEFAULTS = new MqttSettings(
            1024 * 1024,
            1024,
            32,
            1000,
            100,
            3600,
            Duration.ofSeconds(10),
            8 * 3600,
            1000,
            1000,
            10,
            1000,
            16L * 1024 * 1024,
            QueueOverflowPolicy.DropOldest,
            Duration.ofSeconds(30),
            256 * 1024,
            100_000,
            true);

    public MqttSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(queueOverflowPolicy, "queueOverflowPolicy");
        Objects.requireNonNull(slowSubscriberGracePeriod, "slowSubscriberGracePeriod");
    }

    /** What happens when a session's offline or outbound queue is full. */
    public enum QueueOverflowPolicy {
        /** Discard the oldest queued message to make room. */
        DropOldest,
        /** Discard the message that does not fit. */
        DropNewest,
        /** End the session (MQTT 5 DISCONNECT 0x97 Quota exceeded when online). */
        EndSession
    }
}
