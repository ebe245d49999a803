package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static io.portcullis.conformance.Packets.bytes;
import static io.portcullis.conformance.Packets.frame;
import static io.portcullis.conformance.Packets.stringField;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 sections 3.1 (CONNECT) and 3.2 (CONNACK): return codes, empty ClientIds, Session Present. */
class ConnectSection3_1IT {
    private static final MqttVersion V3 = MqttVersion.V3_1_1;

    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** A 3.1.1 CONNACK is two bytes, return code 0 and Session Present 0 for a clean session [MQTT-3.2.2-1]. */
    @Test
    void acceptsWithReturnCodeZero() throws Exception {
        try (RawMqttClient client = broker.open("client-1", V3)) {
            Connack connack = client.connect(Packets.connect(V3, "plain-311").build(), WAIT);

            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.V3_ACCEPTED);
            assertThat(connack.sessionPresent()).isFalse();
            // Decoded as 3.1.1: any property bytes would have failed the decode.
            assertThat(connack.receiveMaximum()).isNull();
        }
    }

    /** An empty ClientId needs Clean Session 1: return code 2 [MQTT-3.1.3-8], then close [MQTT-3.2.2-5]. */
    @Test
    void refusesAnEmptyClientIdWithCleanSessionZero() throws Exception {
        try (RawMqttClient client = broker.open("client-1", V3)) {
            Connack connack = client.connect(Packets.connect(V3, "").cleanStart(false).build(), WAIT);

            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.V3_IDENTIFIER_REJECTED);
            assertThat(connack.sessionPresent()).isFalse();
            client.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }

    /** With Clean Session 1 the broker assigns a ClientId [MQTT-3.1.3-6] and the connection works. */
    @Test
    void acceptsAnEmptyClientIdWithCleanSessionOne() throws Exception {
        try (RawMqttClient client = broker.open("client-1", V3)) {
            Connack connack = client.connect(Packets.connect(V3, "").build(), WAIT);

            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.V3_ACCEPTED);
            client.send(Packets.subscribe(1, "empty-id/x", 0));
            assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(0);
        }
    }

    /**
     * An unsupported protocol level gets return code 1 and the connection is closed [MQTT-3.1.2-2]. MQTT 3.1
     * ("MQIsdp", level 3) is not supported either.
     */
    @ParameterizedTest(name = "protocol name {0} level {1}")
    @CsvSource({"MQTT, 3", "MQTT, 6", "MQTT, 0", "MQIsdp, 3"})
    void refusesAnUnsupportedProtocolLevel(String protocolName, int level) throws Exception {
        try (RawMqttClient client = broker.open("client-1", V3)) {
            client.sendRaw(frame(0x10, stringField(protocolName), bytes(level, 0x02, 0, 60), stringField("old")));

            Connack connack = client.expectPacket(Connack.class, WAIT);
            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION);
            client.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }

    /** A refused client (name not matching its certificate) gets return code 5, then close [MQTT-3.2.2-5]. */
    @Test
    void refusesAUsernameThatDoesNotMatchTheCertificate() throws Exception {
        try (RawMqttClient client = broker.open("client-1", V3)) {
            // Username flag (0x80) with Clean Session; username "client-2" while the certificate is client-1's.
            client.sendRaw(frame(0x10, stringField("MQTT"), bytes(4, 0x82, 0, 60), stringField("imposter"),
                    stringField("client-2")));

            Connack connack = client.expectPacket(Connack.class, WAIT);
            assertThat(connack.reasonCode()).isEqualTo(ReasonCode.V3_NOT_AUTHORIZED);
            client.expectClosed(WAIT);
        }
    }
}
