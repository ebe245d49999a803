package io.portcullis.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * MQTT limits and behaviour settings (SPEC 4 and 5). Defaults are at least as generous as the managed
 * service's fixed values. Validated here against {@link #RANGES}; the configuration loader checks the
 * same ranges first so that it can report the file and key.
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

    /**
     * Allowed values of each numeric setting, by field name; durations in milliseconds. Upper bounds
     * come from the MQTT wire format where one exists (Maximum Packet Size 268,435,455 bytes, two-byte
     * Receive Maximum and Topic Alias Maximum, four-byte Session Expiry Interval, two-byte Keep Alive
     * and topic length); the others stop a typing error from allowing unbounded memory.
     */
    public static final Map<String, Range> RANGES = ranges();

    // Declared after RANGES: the constructor checks against it.
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
        check("maximumPacketSize", maximumPacketSize);
        check("maximumTopicLength", maximumTopicLength);
        check("maximumTopicLevels", maximumTopicLevels);
        check("maximumSubscriptionsPerSession", maximumSubscriptionsPerSession);
        check("maximumFiltersPerSubscribe", maximumFiltersPerSubscribe);
        check("maximumKeepAliveSeconds", maximumKeepAliveSeconds);
        check("connectTimeout", connectTimeout.toMillis());
        check("maximumSessionExpirySeconds", maximumSessionExpirySeconds);
        check("receiveMaximum", receiveMaximum);
        check("maximumOutboundInflight", maximumOutboundInflight);
        check("topicAliasMaximum", topicAliasMaximum);
        check("maximumQueuedMessages", maximumQueuedMessages);
        check("maximumQueuedBytes", maximumQueuedBytes);
        check("slowSubscriberGracePeriod", slowSubscriberGracePeriod.toMillis());
        check("maximumRetainedMessageSize", maximumRetainedMessageSize);
        check("maximumRetainedMessages", maximumRetainedMessages);
    }

    /** An inclusive range of allowed values. */
    public record Range(long minimum, long maximum) {
        public boolean contains(long value) {
            return value >= minimum && value <= maximum;
        }
    }

    private static void check(String field, long value) {
        Range range = RANGES.get(field);
        if (!range.contains(value)) {
            throw new IllegalArgumentException(field + " is " + value + ", allowed " + range.minimum() + " to "
                    + range.maximum());
        }
    }

    private static Map<String, Range> ranges() {
        Map<String, Range> ranges = new LinkedHashMap<>();
        ranges.put("maximumPacketSize", new Range(1024, 268_435_455));
        ranges.put("maximumTopicLength", new Range(1, 65_535));
        ranges.put("maximumTopicLevels", new Range(1, 1024));
        ranges.put("maximumSubscriptionsPerSession", new Range(1, 1_000_000));
        ranges.put("maximumFiltersPerSubscribe", new Range(1, 10_000));
        ranges.put("maximumKeepAliveSeconds", new Range(1, 65_535));
        ranges.put("connectTimeout", new Range(100, Duration.ofMinutes(10).toMillis()));
        ranges.put("maximumSessionExpirySeconds", new Range(0, 4_294_967_295L));
        ranges.put("receiveMaximum", new Range(1, 65_535));
        ranges.put("maximumOutboundInflight", new Range(1, 65_535));
        ranges.put("topicAliasMaximum", new Range(0, 65_535));
        ranges.put("maximumQueuedMessages", new Range(1, 10_000_000));
        ranges.put("maximumQueuedBytes", new Range(1024, 1L << 40));
        ranges.put("slowSubscriberGracePeriod", new Range(0, Duration.ofHours(1).toMillis()));
        ranges.put("maximumRetainedMessageSize", new Range(1, 268_435_455));
        ranges.put("maximumRetainedMessages", new Range(0, 100_000_000));
        return Collections.unmodifiableMap(ranges);
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
