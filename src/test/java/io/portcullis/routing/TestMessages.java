package io.portcullis.routing;

import io.portcullis.protocol.codec.PublishProperties;

import java.nio.charset.StandardCharsets;

/** Messages for routing tests. */
final class TestMessages {

    private TestMessages() {
    }

    static Message message(String topic) {
        return message(topic, 1, false, "publisher");
    }

    static Message message(String topic, int qos, boolean retain, String publisherClientId) {
        return new Message(topic, qos, retain, "payload".getBytes(StandardCharsets.UTF_8), PublishProperties.NONE,
                publisherClientId, 0L);
    }

    static Message withPayload(String topic, String payload) {
        return new Message(topic, 0, true, payload.getBytes(StandardCharsets.UTF_8), PublishProperties.NONE,
                "publisher", 0L);
    }

    static Message expiring(String topic, long expirySeconds, long receivedAtMillis) {
        PublishProperties properties = PublishProperties.NONE.withMessageExpiryInterval(expirySeconds);
        return new Message(topic, 0, true, new byte[] {1}, properties, "publisher", receivedAtMillis);
    }
}
