package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.MqttVersion;
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
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * MQTT 3.1.1 has no negative acknowledgement and no server DISCONNECT: a malformed packet or protocol
 * violation closes the network connection with no answer (sections 1.5.3, 2.2, 3.1, 3.3, 4.8). After each,
 * a well-behaved client on the same broker still publishes and receives.
 */
class MalformedPacketsIT {
    private static final MqttVersion V3 = MqttVersion.V3_1_1;
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
        return Stream.of(
                // Remaining Length takes at most four bytes (section 2.2.3).
                arguments("Remaining Length of five bytes", bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)),
                // Invalid fixed-header flags close the connection [MQTT-2.2.2-2].
                arguments("SUBSCRIBE with flags 0000", frame(0x80, bytes(0, 1), stringField("a"), bytes(0))),
                arguments("UNSUBSCRIBE with flags 0000", frame(0xA0, bytes(0, 1), stringField("a"))),
                arguments("PINGREQ with flags 0001", frame(0xC1)),
                // Ill-formed UTF-8 [MQTT-1.5.3-1] and U+0000 [MQTT-1.5.3-2] close the connection.
                arguments("PUBLISH topic with invalid UTF-8", frame(0x30, stringField(bytes('a', 0xC3, 0x28)),
                        payload)),
                arguments("PUBLISH topic with U+0000", frame(0x30, stringField(bytes('a', 0, 'b')), payload)),
                // No wildcards in a Topic Name [MQTT-3.3.2-2].
                arguments("PUBLISH topic with +", frame(0x30, stringField("a/+"), payload)),
                arguments("PUBLISH topic with #", frame(0x30, stringField("#"), payload)),
                // Non-zero Packet Identifiers [MQTT-2.3.1-1].
                arguments("PUBLISH QoS 1 with packet id 0", frame(0x32, stringField("a"), bytes(0, 0), payload)),
                arguments("SUBSCRIBE with packet id 0", frame(0x82, bytes(0, 0), stringField("a"), bytes(0))),
                // QoS 3 [MQTT-3.3.1-4].
                arguments("PUBLISH with QoS 3", frame(0x36, stringField("a"), bytes(0, 1), payload)),
                // Packet type 15 is reserved in 3.1.1 (section 2.2.1).
                arguments("reserved packet type 15", frame(0xF0)),
                // A second CONNECT is a protocol violation [MQTT-3.1.0-2].
                arguments("a second CONNECT", RawMqttClient.encode(Packets.connect(V3, "again").build(), V3)),
                // Larger than the broker accepts: 3.1.1 can only close.
                arguments("PUBLISH over the maximum packet size", frame(0x30, stringField("big"),
                        new byte[MAXIMUM_PACKET_SIZE])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPacketsAfterConnect")
    void closesWithoutAnswer(String label, byte[] packet) throws Exception {
        try (RawMqttClient bad = broker.connect(Packets.connect(V3, "bad-" + UUID.randomUUID()).build())) {
            bad.sendRaw(packet);

            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }

    static Stream<Arguments> badClientIdentifiers() {
        return Stream.of(
                arguments("invalid UTF-8", bytes('i', 'd', 0xC3, 0x28)),
                arguments("U+0000", bytes('i', 'd', 0, '1')));
    }

    /** A malformed CONNECT has no CONNACK code in 3.1.1 [MQTT-1.5.3-1]: closed with no CONNACK. */
    @ParameterizedTest(name = "ClientId with {0}")
    @MethodSource("badClientIdentifiers")
    void closesOnConnectWithMalformedClientId(String label, byte[] clientId) throws Exception {
        try (RawMqttClient bad = broker.open("client-1", V3)) {
            bad.sendRaw(Packets.rawConnect(V3, clientId));

            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }

    /** The first packet must be CONNECT [MQTT-3.1.0-1]. */
    @Test
    void closesWhenTheFirstPacketIsNotConnect() throws Exception {
        try (RawMqttClient bad = broker.open("client-1", V3)) {
            bad.sendRaw(frame(0xC0));

            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }

    /** The reserved CONNECT flag must be 0, else the connection is closed [MQTT-3.1.2-3]. */
    @Test
    void closesOnConnectWithReservedFlagSet() throws Exception {
        try (RawMqttClient bad = broker.open("client-1", V3)) {
            bad.sendRaw(frame(0x10, stringField("MQTT"), bytes(4, 0x03, 0, 60), stringField("reserved")));

            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V3);
    }
}
