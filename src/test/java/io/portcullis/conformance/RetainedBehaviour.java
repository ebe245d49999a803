package io.portcullis.conformance;

import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retained messages (section 3.3.1.3 in both versions): stored per topic, replaced, deleted by an empty
 * payload, and sent to new subscribers with RETAIN 1.
 */
public abstract class RetainedBehaviour extends VersionedBehaviour {

    /** Publishes a retained message at QoS 1; the PUBACK comes after the store took it. */
    protected static void retain(RawMqttClient publisher, String topic, int packetId, String payload)
            throws Exception {
        publisher.send(Packets.publish(topic, 1, true, packetId, payload, PublishProperties.NONE));
        publisher.expectPacket(Puback.class, WAIT);
    }

    /**
     * A retained message is stored and sent to a later subscriber with RETAIN 1; a newer one replaces it
     * [MQTT-3.3.1-5, MQTT-3.3.1-6 (3.1.1), MQTT-3.3.1-5, MQTT-3.3.1-9 (5.0)].
     */
    @Test
    void storesAndReplacesTheRetainedMessage() throws Exception {
        String topic = unique("retained/replace");
        try (RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, topic, 1, "first");
            retain(publisher, topic, 2, "second");
        }

        try (RawMqttClient late = subscriber(topic, 1)) {
            Publish retained = expectPublish(late, topic, "second");
            assertThat(retained.retain()).isTrue();
            late.expectNothing(QUIET);
        }
    }

    /**
     * An empty retained message deletes the stored one and is not stored itself; subscribers present get
     * it as a normal message [MQTT-3.3.1-10, -11 (3.1.1), MQTT-3.3.1-6, -7 (5.0)].
     */
    @Test
    void deletesTheRetainedMessageWithAnEmptyPayload() throws Exception {
        String topic = unique("retained/delete");
        try (RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, topic, 1, "doomed");
            try (RawMqttClient present = subscriber(topic, 1)) {
                expectPublish(present, topic, "doomed");
                retain(publisher, topic, 2, "");

                Publish deletion = expectPublish(present, topic, "");
                assertThat(deletion.retain()).isFalse();
            }
        }

        try (RawMqttClient late = subscriber(topic, 1)) {
            late.expectNothing(QUIET);
        }
    }

    /**
     * A PUBLISH with RETAIN 0 neither stores nor removes the retained message [MQTT-3.3.1-12 (3.1.1)], and a
     * retained message sent to a subscriber that was already there carries RETAIN 0 [MQTT-3.3.1-9 (3.1.1),
     * MQTT-3.3.1-12 (5.0) with Retain As Published 0].
     */
    @Test
    void keepsTheRetainedMessageAcrossNormalPublishesAndClearsRetainOnLiveDelivery() throws Exception {
        String topic = unique("retained/live");
        try (RawMqttClient present = subscriber(topic, 1); RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, topic, 1, "kept");
            assertThat(expectPublish(present, topic, "kept").retain()).isFalse();
            publishQos1(publisher, topic, 2, "passing");
            assertThat(expectPublish(present, topic, "passing").retain()).isFalse();
        }

        try (RawMqttClient late = subscriber(topic, 1)) {
            assertThat(expectPublish(late, topic, "kept").retain()).isTrue();
            late.expectNothing(QUIET);
        }
    }

    /** A wildcard subscription receives every matching retained message (section 3.3.1.3). */
    @Test
    void sendsEveryMatchingRetainedMessageToAWildcardSubscription() throws Exception {
        String root = unique("retained/wild");
        try (RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, root + "/a", 1, "a");
            retain(publisher, root + "/b", 2, "b");
            retain(publisher, root + "/c/d", 3, "cd");
        }

        try (RawMqttClient late = subscriber(root + "/+", 1)) {
            Set<String> topics = new HashSet<>();
            topics.add(late.expectPacket(Publish.class, WAIT).topic());
            topics.add(late.expectPacket(Publish.class, WAIT).topic());
            assertThat(topics).containsExactlyInAnyOrder(root + "/a", root + "/b");
            late.expectNothing(QUIET);
        }
    }
}
