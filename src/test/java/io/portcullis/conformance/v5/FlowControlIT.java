package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 flow control (sections 3.3.4 and 4.9) and Maximum Packet Size (3.1.2.11.4, 3.2.2.3.6): the
 * client's Receive Maximum and Maximum Packet Size bind the broker, and the broker's bind the client.
 */
class FlowControlIT {
    private static final MqttVersion V5 = MqttVersion.V5;
    private static final int BROKER_RECEIVE_MAXIMUM = 2;

    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of("receiveMaximum", BROKER_RECEIVE_MAXIMUM));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RawMqttClient subscriber(Packets.ConnectBuilder connect, String topic) throws Exception {
        RawMqttClient client = broker.connect(connect.build());
        client.send(Packets.subscribe(1, topic, 1));
        assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(1);
        return client;
    }

    private static void publishQos1(RawMqttClient publisher, String topic, int packetId, String payload)
            throws Exception {
        publisher.send(Packets.publish(topic, 1, packetId, payload));
        assertThat(publisher.expectPacket(Puback.class, WAIT).packetId()).isEqualTo(packetId);
    }

    /**
     * With Receive Maximum 2 the broker has at most two unacknowledged QoS 1 PUBLISH out to the client
     * [MQTT-3.3.4-9]; each PUBACK lets exactly one more go (section 4.9), in order.
     */
    @Test
    void neverHasMoreUnacknowledgedMessagesOutThanTheClientReceiveMaximum() throws Exception {
        String topic = unique("receive-maximum");
        try (RawMqttClient subscriber = subscriber(Packets.connect(V5, unique("slow")).receiveMaximum(2), topic);
             RawMqttClient publisher = broker.connect(Packets.connect(V5, unique("pub")).build())) {
            for (int i = 1; i <= 5; i++) {
                publishQos1(publisher, topic, i, "m" + i);
            }

            Deque<Publish> unacknowledged = new ArrayDeque<>();
            unacknowledged.add(subscriber.expectPacket(Publish.class, WAIT));
            unacknowledged.add(subscriber.expectPacket(Publish.class, WAIT));
            subscriber.expectNothing(QUIET);
            int next = 3;
            while (!unacknowledged.isEmpty()) {
                Publish oldest = unacknowledged.poll();
                subscriber.send(new Puback(oldest.packetId(), ReasonCode.SUCCESS));
                if (next <= 5) {
                    Publish more = subscriber.expectPacket(Publish.class, WAIT);
                    assertThat(Packets.text(more)).isEqualTo("m" + next++);
                    unacknowledged.add(more);
                }
                subscriber.expectNothing(QUIET);
            }
        }
    }

    /**
     * A message larger than the client's Maximum Packet Size is not sent to it [MQTT-3.1.2-24]; the broker
     * discards it as if sent [MQTT-3.1.2-25] and the messages behind it still come.
     */
    @Test
    void doesNotSendPacketsLargerThanTheClientMaximumPacketSize() throws Exception {
        String topic = unique("client-maximum");
        try (RawMqttClient small = subscriber(Packets.connect(V5, unique("small")).maximumPacketSize(128), topic);
             RawMqttClient publisher = broker.connect(Packets.connect(V5, unique("pub")).build())) {
            publishQos1(publisher, topic, 1, "x".repeat(500));
            publishQos1(publisher, topic, 2, "fits");

            Publish delivered = small.expectPacket(Publish.class, WAIT);
            assertThat(Packets.text(delivered)).isEqualTo("fits");
            small.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
            small.expectNothing(QUIET);
        }
    }

    /**
     * The broker's Receive Maximum is announced in CONNACK; a client with more QoS 2 PUBLISH awaiting PUBREL
     * than that is disconnected with 0x93 Receive Maximum exceeded (section 3.3.4).
     */
    @Test
    void disconnectsAClientThatExceedsTheBrokerReceiveMaximum() throws Exception {
        try (RawMqttClient client = broker.open("client-1", V5)) {
            Connack connack = client.connect(Packets.connect(V5, unique("greedy")).build(), WAIT);
            assertThat(connack.receiveMaximum()).isEqualTo(BROKER_RECEIVE_MAXIMUM);
            String topic = unique("flood");
            for (int i = 1; i <= BROKER_RECEIVE_MAXIMUM; i++) {
                client.send(Packets.publish(topic, 2, i, "q2"));
                assertThat(client.expectPacket(Pubrec.class, WAIT).packetId()).isEqualTo(i);
            }

            client.send(Packets.publish(topic, 2, BROKER_RECEIVE_MAXIMUM + 1, "one too many"));
            Disconnect disconnect = client.expectPacket(Disconnect.class, WAIT);
            assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
            client.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }
}
