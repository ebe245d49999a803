package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 sections 3.1 (CONNECT) and 3.2 (CONNACK): the limits the broker announces in CONNACK, the
 * Assigned Client Identifier, Server Keep Alive and the capped Session Expiry Interval.
 */
class ConnectSection3_1IT {
    private static final MqttVersion V5 = MqttVersion.V5;
    private static final int RECEIVE_MAXIMUM = 50;
    private static final int MAXIMUM_PACKET_SIZE = 64 * 1024;
    private static final int TOPIC_ALIAS_MAXIMUM = 7;
    private static final int MAXIMUM_KEEP_ALIVE = 30;
    private static final long MAXIMUM_SESSION_EXPIRY = 120;

    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of(
                "receiveMaximum", RECEIVE_MAXIMUM,
                "maximumPacketSize", MAXIMUM_PACKET_SIZE,
                "topicAliasMaximum", TOPIC_ALIAS_MAXIMUM,
                "maximumKeepAliveSeconds", MAXIMUM_KEEP_ALIVE,
                "maximumSessionExpirySeconds", MAXIMUM_SESSION_EXPIRY));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Connack connack(Connect connect) throws Exception {
        try (RawMqttClient client = broker.open("client-1", V5)) {
            return client.connect(connect, WAIT);
        }
    }

    /** Receive Maximum (3.2.2.3.3), Maximum Packet Size (3.2.2.3.6), Topic Alias Maximum (3.2.2.3.8). */
    @Test
    void connackAnnouncesTheBrokerLimits() throws Exception {
        Connack connack = connack(Packets.connect(V5, "limits").keepAlive(10).build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        // A new session with Clean Start 1: Session Present 0 [MQTT-3.2.2-2].
        assertThat(connack.sessionPresent()).isFalse();
        assertThat(connack.receiveMaximum()).isEqualTo(RECEIVE_MAXIMUM);
        assertThat(connack.maximumPacketSize()).isEqualTo(MAXIMUM_PACKET_SIZE);
        assertThat(connack.topicAliasMaximum()).isEqualTo(TOPIC_ALIAS_MAXIMUM);
        // Retain Available absent or 1 both mean retained messages are supported (3.2.2.3.5).
        assertThat(connack.retainAvailable()).isNotEqualTo(Boolean.FALSE);
        // QoS 2 is supported, so Maximum QoS is absent (3.2.2.3.4).
        assertThat(connack.maximumQos()).isNull();
        assertThat(connack.assignedClientIdentifier()).isNull();
        // Keep alive within the maximum: no Server Keep Alive, the client's value holds [MQTT-3.2.2-22].
        assertThat(connack.serverKeepAlive()).isNull();
        assertThat(connack.sessionExpiryInterval()).isNull();
    }

    /**
     * An empty ClientId gets a unique one assigned [MQTT-3.1.3-6], returned as Assigned Client Identifier
     * [MQTT-3.2.2-16]; the connection then works as any other.
     */
    @Test
    void assignsAClientIdentifierForAnEmptyOne() throws Exception {
        try (RawMqttClient first = broker.open("client-1", V5); RawMqttClient second = broker.open("client-1", V5)) {
            Connack one = first.connect(Packets.connect(V5, "").build(), WAIT);
            Connack two = second.connect(Packets.connect(V5, "").build(), WAIT);

            assertThat(one.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(one.assignedClientIdentifier()).isNotBlank();
            assertThat(two.assignedClientIdentifier()).isNotBlank().isNotEqualTo(one.assignedClientIdentifier());
            first.send(Packets.subscribe(1, "assigned/x", 1));
            assertThat(first.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(1);
        }
    }

    /**
     * A keep alive above the broker's maximum is replaced, and the client is told with Server Keep Alive,
     * which it must then use [MQTT-3.2.2-21].
     */
    @Test
    void returnsServerKeepAliveWhenTheRequestIsAboveTheMaximum() throws Exception {
        Connack connack = connack(Packets.connect(V5, "keepalive-high").keepAlive(MAXIMUM_KEEP_ALIVE * 10).build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(connack.serverKeepAlive()).isEqualTo(MAXIMUM_KEEP_ALIVE);
    }

    /** Keep alive 0 would switch the mechanism off; the broker holds the client to its maximum (docs). */
    @Test
    void returnsServerKeepAliveWhenTheRequestIsZero() throws Exception {
        Connack connack = connack(Packets.connect(V5, "keepalive-zero").keepAlive(0).build());

        assertThat(connack.serverKeepAlive()).isEqualTo(MAXIMUM_KEEP_ALIVE);
    }

    /** A Session Expiry Interval above the broker's maximum comes back capped in CONNACK (3.2.2.3.2). */
    @Test
    void returnsTheCappedSessionExpiryInterval() throws Exception {
        Connack connack = connack(Packets.connect(V5, "expiry-high").sessionExpiry(100_000).build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(connack.sessionExpiryInterval()).isEqualTo(MAXIMUM_SESSION_EXPIRY);
    }

    /** Enhanced authentication is not offered: 0x8C Bad authentication method, then close [MQTT-3.2.2-7]. */
    @Test
    void refusesAnAuthenticationMethod() throws Exception {
        Connect plain = Packets.connect(V5, "enhanced-auth").build();
        Connect withMethod = new Connect(V5, plain.clientId(), true, 60, null, null, null, 0,
                plain.receiveMaximum(), 0, 0, false, true, List.of(), "SCRAM-SHA-256", null);
        try (RawMqttClient client = broker.open("client-1", V5)) {
            Connack connack = client.connect(withMethod, WAIT);

            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
            client.expectClosed(WAIT);
        }
    }

    /** A username that names another client is refused with 0x87 and the connection closed [MQTT-3.2.2-7]. */
    @Test
    void refusesAUsernameThatDoesNotMatchTheCertificate() throws Exception {
        Connect plain = Packets.connect(V5, "imposter").build();
        Connect imposter = new Connect(V5, plain.clientId(), true, 60, "client-2", null, null, 0,
                plain.receiveMaximum(), 0, 0, false, true, List.of(), null, null);
        try (RawMqttClient client = broker.open("client-1", V5)) {
            Connack connack = client.connect(imposter, WAIT);

            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(connack.sessionPresent()).isFalse();
            client.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }
}
