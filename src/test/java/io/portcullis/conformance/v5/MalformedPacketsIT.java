package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static io.portcullis.conformance.Packets.bytes;
import static io.portcullis.conformance.Packets.frame;
import static io.portcullis.conformance.Packets.stringField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * MQTT 5.0 section 4.13 (handling errors) with sections 1.5, 2.1 and 3.x: each malformed packet or protocol
 * error on an MQTT 5 connection is answered with DISCONNECT carrying the right reason code, then the
 * connection is closed [MQTT-4.13.1-1]; before CONNACK the answer is a CONNACK with the code. After each,
 * a well-behaved client on the same broker still publishes and receives.
 */
class MalformedPacketsIT {
    private static final MqttVersion V5 = MqttVersion.V5;
    private static final int MAXIMUM_PACKET_SIZE = 1024;

    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of("maximumPacketSize", MAXIMUM_PACKET_SIZE));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static Stream<Arguments> badPacketsAfterConnect() {
        byte[] payload = bytes('x');
        byte[] noProperties = bytes(0);
        return Stream.of(
                // Remaining Length is a Variable Byte Integer of at most four bytes (sections 1.5.5, 2.1.4).
                arguments("Remaining Length of five bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
                        ReasonCode.MALFORMED_PACKET),
                // Reserved fixed-header flags must hold their listed values [MQTT-2.1.3-1].
                arguments("SUBSCRIBE with flags 0000", frame(0x80, bytes(0, 1), noProperties, stringField("a"),
                        bytes(0)), ReasonCode.MALFORMED_PACKET),
                arguments("PUBREL with flags 0000", frame(0x60, bytes(0, 1)), ReasonCode.MALFORMED_PACKET),
                arguments("PINGREQ with flags 0001", frame(0xC1), ReasonCode.MALFORMED_PACKET),
                // Topic Names are well-formed UTF-8 [MQTT-1.5.4-1] without U+0000 [MQTT-1.5.4-2].
                arguments("PUBLISH topic with invalid UTF-8", frame(0x30, stringField(bytes('a', 0xC3, 0x28)),
                        noProperties, payload), ReasonCode.MALFORMED_PACKET),
                arguments("PUBLISH topic with a UTF-16 surrogate", frame(0x30,
                        stringField(bytes(0xED, 0xA0, 0x80)), noProperties, payload), ReasonCode.MALFORMED_PACKET),
                arguments("PUBLISH topic with U+0000", frame(0x30, stringField(bytes('a', 0, 'b')), noProperties,
                        payload), ReasonCode.MALFORMED_PACKET),
                // No wildcards in a Topic Name [MQTT-3.3.2-2]; Portcullis treats it as malformed (PublishDecoding).
                arguments("PUBLISH topic with +", frame(0x30, stringField("a/+/b"), noProperties, payload),
                        ReasonCode.MALFORMED_PACKET),
                arguments("PUBLISH topic with #", frame(0x30, stringField("a/#"), noProperties, payload),
                        ReasonCode.MALFORMED_PACKET),
                // QoS 1 and 2 PUBLISH need a non-zero Packet Identifier [MQTT-2.2.1-3].
                arguments("PUBLISH QoS 1 with packet id 0", frame(0x32, stringField("a"), bytes(0, 0),
                        noProperties, payload), ReasonCode.PROTOCOL_ERROR),
                arguments("PUBLISH QoS 2 with packet id 0", frame(0x34, stringField("a"), bytes(0, 0),
                        noProperties, payload), ReasonCode.PROTOCOL_ERROR),
                arguments("SUBSCRIBE with packet id 0", frame(0x82, bytes(0, 0), noProperties, stringField("a"),
                        bytes(0)), ReasonCode.PROTOCOL_ERROR),
                // QoS 3 is malformed [MQTT-3.3.1-4].
                arguments("PUBLISH with QoS 3", frame(0x36, stringField("a"), bytes(0, 1), noProperties, payload),
                        ReasonCode.MALFORMED_PACKET),
                // A second CONNECT is a Protocol Error [MQTT-3.1.0-2].
                arguments("a second CONNECT", RawMqttClient.encode(Packets.connect(V5, "again").build(), V5),
                        ReasonCode.PROTOCOL_ERROR),
                // Larger than the Maximum Packet Size in CONNACK [MQTT-3.2.2-15]: 0x95 Packet too large.
                arguments("PUBLISH over the maximum packet size", frame(0x30, stringField("big"), noProperties,
                        new byte[MAXIMUM_PACKET_SIZE]), ReasonCode.PACKET_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPacketsAfterConnect")
    void answersWithDisconnectAndCloses(String label, byte[] packet, int reasonCode) throws Exception {
        try (RawMqttClient bad = broker.connect(Packets.connect(V5, "bad-" + UUID.randomUUID()).build())) {
            bad.sendRaw(packet);

            Disconnect disconnect = bad.expectPacket(Disconnect.class, WAIT);
            assertThat(disconnect.reasonCode()).as(label).isEqualTo(reasonCode);
            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }

    static Stream<Arguments> badClientIdentifiers() {
        return Stream.of(
                arguments("invalid UTF-8", bytes('i', 'd', 0xC3, 0x28)),
                arguments("an overlong encoding", bytes('i', 'd', 0xC0, 0xAF)),
                arguments("U+0000", bytes('i', 'd', 0, '1')));
    }

    /** A malformed CONNECT is answered with CONNACK 0x81 before the close (MQTT 5.0 section 3.2.2.2). */
    @ParameterizedTest(name = "ClientId with {0}")
    @MethodSource("badClientIdentifiers")
    void refusesConnectWithMalformedClientId(String label, byte[] clientId) throws Exception {
        try (RawMqttClient bad = broker.open("client-1", V5)) {
            bad.sendRaw(Packets.rawConnect(V5, clientId));

            assertThat(bad.expectPacket(Connack.class, WAIT).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }

    /** The first packet must be CONNECT [MQTT-3.1.0-1]: no version is known to answer in, so a bare close. */
    @Test
    void closesWhenTheFirstPacketIsNotConnect() throws Exception {
        try (RawMqttClient bad = broker.open("client-1", V5)) {
            bad.sendRaw(frame(0x30, stringField("a"), bytes(0), bytes('x')));

            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }

    /** After the DISCONNECT the broker reads nothing more: a packet sent right behind is not answered. */
    @Test
    void ignoresPacketsBehindTheMalformedOne() throws Exception {
        try (RawMqttClient bad = broker.connect(Packets.connect(V5, "bad-" + UUID.randomUUID()).build())) {
            byte[] malformed = frame(0x30, stringField("a/#"), bytes(0), bytes('x'));
            byte[] ping = frame(0xC0);
            byte[] both = new byte[malformed.length + ping.length];
            System.arraycopy(malformed, 0, both, 0, malformed.length);
            System.arraycopy(ping, 0, both, malformed.length, ping.length);
            bad.sendRaw(both);

            assertThat(bad.expectPacket(Disconnect.class, WAIT).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
            // The close comes without a PINGRESP first.
            bad.expectClosed(WAIT);
        }
    }
}
