package io.portcullis.conformance;

import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static io.portcullis.conformance.Packets.bytes;
import static io.portcullis.conformance.Packets.frame;
import static io.portcullis.conformance.Packets.stringField;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Will Message (MQTT 3.1.1 and 5.0 section 3.1.2.5): published when the connection ends without a
 * normal DISCONNECT, discarded after one.
 */
public abstract class WillBehaviour extends VersionedBehaviour {

    protected Connect withWill(String clientId, String topic, boolean retain, long delaySeconds) {
        return Packets.connect(version(), clientId).will(topic, "gone:" + clientId, 1, retain, delaySeconds)
                .build();
    }

    /** A network failure (the socket closed with no DISCONNECT) publishes the Will [MQTT-3.1.2-8]. */
    @Test
    void publishesTheWillWhenTheConnectionIsLost() throws Exception {
        String topic = unique("will/lost");
        String clientId = unique("dies");
        try (RawMqttClient watcher = subscriber(topic, 1)) {
            RawMqttClient client = broker().connect(withWill(clientId, topic, false, 0));
            client.close();

            Publish will = expectPublish(watcher, topic, "gone:" + clientId);
            assertThat(will.qos()).isEqualTo(1);
        }
    }

    /** A connection the broker closes for a protocol error publishes the Will too (section 3.1.2.5). */
    @Test
    void publishesTheWillWhenTheBrokerClosesForAProtocolError() throws Exception {
        String topic = unique("will/error");
        String clientId = unique("breaks");
        try (RawMqttClient watcher = subscriber(topic, 1);
             RawMqttClient client = broker().connect(withWill(clientId, topic, false, 0))) {
            client.sendRaw(frame(0x30, stringField("bad/#"), version().isV5() ? bytes(0) : new byte[0], bytes('x')));

            expectPublish(watcher, topic, "gone:" + clientId);
        }
    }

    /**
     * A normal DISCONNECT discards the Will [MQTT-3.1.2-10 (5.0), MQTT-3.14.4-3 (3.1.1)]: nothing is
     * published when the connection then closes.
     */
    @Test
    void discardsTheWillOnNormalDisconnect() throws Exception {
        String topic = unique("will/normal");
        try (RawMqttClient watcher = subscriber(topic, 1);
             RawMqttClient client = broker().connect(withWill(unique("leaves"), topic, false, 0))) {
            client.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
            client.expectClosed(WAIT);

            watcher.expectNothing(QUIET);
        }
    }

    /** A Will with Will Retain 1 is published as a retained message [MQTT-3.1.2-17 (3.1.1), 3.1.2-15 (5.0)]. */
    @Test
    void retainsAWillWithWillRetain() throws Exception {
        String topic = unique("will/retained");
        String clientId = unique("retains");
        RawMqttClient client = broker().connect(withWill(clientId, topic, true, 0));
        try (RawMqttClient watcher = subscriber(topic, 1)) {
            client.close();
            expectPublish(watcher, topic, "gone:" + clientId);
        }

        try (RawMqttClient late = subscriber(topic, 1)) {
            Publish retained = expectPublish(late, topic, "gone:" + clientId);
            assertThat(retained.retain()).isTrue();
        }
    }
}
