package io.portcullis.routing;

import io.portcullis.protocol.codec.PublishProperties;

import java.util.Objects;

/**
 * An application message as the broker routes and stores it: decoded once from the publisher's
 * PUBLISH and shared, unchanged, by every subscriber, queue and the retained store.
 *
 * @param topic             the resolved topic name (never a Topic Alias)
 * @param qos               the QoS it was published with
 * @param retain            the RETAIN flag it was published with
 * @param payload           shared and never modified
 * @param properties        MQTT 5 properties to forward; topic alias and subscription identifiers are
 *                          cleared, they are per connection
 * @param publisherClientId session name of the publisher, for No Local; empty for broker-made messages
 * @param receivedAtMillis  wall-clock time the broker received it, for Message Expiry Interval
 */
public record Message(String topic, int qos, boolean retain, byte[] payload, PublishProperties properties,
                      String publisherClientId, long receivedAtMillis) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(publisherClientId, "publisherClientId");
    }

    /** Whether the Message Expiry Interval has passed at {@code nowMillis}. */
    public boolean isExpired(long nowMillis) {
        Long interval = properties.messageExpiryInterval();
        return interval != null && nowMillis - receivedAtMillis >= interval * 1000;
    }

    /**
     * The expiry interval to forward at {@code nowMillis}: the received value less the time spent in
     * the broker [MQTT-3.3.2-6], or {@code null} when the message does not expire.
     */
    public Long remainingExpirySeconds(long nowMillis) {
        Long interval = properties.messageExpiryInterval();
        if (interval == null) {
            return null;
        }
        long elapsedSeconds = Math.max(0, (nowMillis - receivedAtMillis) / 1000);
        return Math.max(0, interval - elapsedSeconds);
    }
}
