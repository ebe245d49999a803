package io.portcullis.conformance;

import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Section 4.3 (Quality of Service levels and protocol flows) and 4.6 (message ordering), the same in MQTT
 * 3.1.1 and 5.0: the acknowledgements the broker sends as receiver and expects as sender.
 */
public abstract class QosFlowsBehaviour extends VersionedBehaviour {

    /** QoS 1: PUBACK with the packet id [MQTT-4.3.2-4 (5.0), MQTT-4.3.2-2 (3.1.1)]; delivered with DUP 0. */
    @Test
    void acknowledgesAndDeliversQos1() throws Exception {
        String topic = unique("qos1");
        try (RawMqttClient subscriber = subscriber(topic, 1); RawMqttClient publisher = connect(unique("pub"))) {
            publishQos1(publisher, topic, 10, "one");

            Publish delivered = expectPublish(subscriber, topic, "one");
            assertThat(delivered.qos()).isEqualTo(1);
            // A new message goes out with DUP 0 and an unused non-zero packet id [MQTT-4.3.2-1].
            assertThat(delivered.dup()).isFalse();
            assertThat(delivered.packetId()).isNotZero();
            subscriber.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
            subscriber.expectNothing(QUIET);
        }
    }

    /**
     * QoS 2 in both directions: PUBREC, then PUBCOMP for the PUBREL as receiver [MQTT-4.3.3-8, -11 (5.0);
     * MQTT-4.3.3-2 (3.1.1)]; PUBLISH, then PUBREL for our PUBREC as sender [MQTT-4.3.3-4 (5.0); 4.3.3-1].
     */
    @Test
    void completesTheQos2ExchangeBothWays() throws Exception {
        String topic = unique("qos2");
        try (RawMqttClient subscriber = subscriber(topic, 2); RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 2, 11, "two"));
            assertThat(publisher.expectPacket(Pubrec.class, WAIT).packetId()).isEqualTo(11);
            publisher.send(new Pubrel(11, ReasonCode.SUCCESS));
            Pubcomp pubcomp = publisher.expectPacket(Pubcomp.class, WAIT);
            assertThat(pubcomp.packetId()).isEqualTo(11);
            assertThat(pubcomp.reasonCode()).isEqualTo(ReasonCode.SUCCESS);

            Publish delivered = expectPublish(subscriber, topic, "two");
            assertThat(delivered.qos()).isEqualTo(2);
            subscriber.send(new Pubrec(delivered.packetId(), ReasonCode.SUCCESS));
            assertThat(subscriber.expectPacket(Pubrel.class, WAIT).packetId()).isEqualTo(delivered.packetId());
            subscriber.send(new Pubcomp(delivered.packetId(), ReasonCode.SUCCESS));
            subscriber.expectNothing(QUIET);
            publisher.expectNothing(QUIET);
        }
    }

    /**
     * A QoS 2 PUBLISH sent again (DUP 1) before PUBREL is acknowledged again but not delivered twice
     * [MQTT-4.3.3-9 (5.0), MQTT-4.3.3-2 (3.1.1)].
     */
    @Test
    void deliversARepeatedQos2PublishOnce() throws Exception {
        String topic = unique("qos2-dup");
        try (RawMqttClient subscriber = subscriber(topic, 2); RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 2, 12, "once"));
            assertThat(publisher.expectPacket(Pubrec.class, WAIT).packetId()).isEqualTo(12);
            publisher.send(new Publish(topic, 2, false, true, 12, "once".getBytes(StandardCharsets.UTF_8),
                    PublishProperties.NONE));
            assertThat(publisher.expectPacket(Pubrec.class, WAIT).packetId()).isEqualTo(12);
            publisher.send(new Pubrel(12, ReasonCode.SUCCESS));
            assertThat(publisher.expectPacket(Pubcomp.class, WAIT).packetId()).isEqualTo(12);

            expectPublish(subscriber, topic, "once");
            subscriber.expectNothing(QUIET);
        }
    }

    /** The delivered QoS is the lower of the message's and the subscription's (section 3.8.4, 4.3). */
    @Test
    void downgradesToTheSubscriptionQos() throws Exception {
        String topic = unique("downgrade");
        try (RawMqttClient subscriber = subscriber(topic, 0); RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 2, 13, "lowered"));
            publisher.expectPacket(Pubrec.class, WAIT);

            Publish delivered = expectPublish(subscriber, topic, "lowered");
            assertThat(delivered.qos()).isZero();
            assertThat(delivered.packetId()).isZero();
            publisher.send(new Pubrel(13, ReasonCode.SUCCESS));
            publisher.expectPacket(Pubcomp.class, WAIT);
        }
    }

    /** Messages of one publisher on one topic arrive in publish order [MQTT-4.6.0-6 (5.0), 4.6.0-6 (3.1.1)]. */
    @Test
    void keepsPublishOrderOnATopic() throws Exception {
        String topic = unique("order");
        try (RawMqttClient subscriber = subscriber(topic, 1); RawMqttClient publisher = connect(unique("pub"))) {
            for (int i = 1; i <= 20; i++) {
                publisher.send(Packets.publish(topic, 1, i, "m" + i));
            }
            for (int i = 1; i <= 20; i++) {
                Publish delivered = expectPublish(subscriber, topic, "m" + i);
                subscriber.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
                assertThat(publisher.expectPacket(Puback.class, WAIT).packetId()).isEqualTo(i);
            }
        }
    }
}
