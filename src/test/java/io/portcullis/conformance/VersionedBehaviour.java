package io.portcullis.conformance;

import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;

import java.util.UUID;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of conformance tests whose behaviour both MQTT versions share: a subclass in {@code v5} or
 * {@code v311} names its version and its class's broker, and adds what only its version has.
 */
public abstract class VersionedBehaviour {
    protected abstract MqttVersion version();

    protected abstract ConformanceBroker broker();

    /** A client id and topic prefix no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected RawMqttClient connect(String clientId) throws Exception {
        return broker().connect(Packets.connect(version(), clientId).build());
    }

    protected RawMqttClient subscriber(String filter, int qos) throws Exception {
        return broker().subscriber(version(), unique("sub"), filter, qos);
    }

    /** Publishes at QoS 1 and checks the PUBACK (any success code: 0x10 means no subscriber matched). */
    protected static void publishQos1(RawMqttClient publisher, String topic, int packetId, String payload)
            throws Exception {
        publisher.send(Packets.publish(topic, 1, packetId, payload));
        Puback puback = publisher.expectPacket(Puback.class, WAIT);
        assertThat(puback.packetId()).isEqualTo(packetId);
        assertThat(ReasonCode.isError(puback.reasonCode())).as("PUBACK reason %s", puback.reasonCode()).isFalse();
    }

    /** Waits for a PUBLISH on {@code topic} with {@code payload} and returns it. */
    protected static Publish expectPublish(RawMqttClient client, String topic, String payload) {
        Publish publish = client.expectPacket(Publish.class, WAIT);
        assertThat(publish.topic()).isEqualTo(topic);
        assertThat(Packets.text(publish)).isEqualTo(payload);
        return publish;
    }
}
