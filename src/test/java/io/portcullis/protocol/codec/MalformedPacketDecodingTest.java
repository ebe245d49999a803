package io.portcullis.protocol.codec;

import static io.portcullis.protocol.codec.CodecFixtures.clientDecoder;
import static io.portcullis.protocol.codec.CodecFixtures.concat;
import static io.portcullis.protocol.codec.CodecFixtures.connect;
import static io.portcullis.protocol.codec.CodecFixtures.decode;
import static io.portcullis.protocol.codec.CodecFixtures.decodeByteByByte;
import static io.portcullis.protocol.codec.CodecFixtures.frame;
import static io.portcullis.protocol.codec.CodecFixtures.hex;
import static io.portcullis.protocol.codec.CodecFixtures.serverDecoder;
import static io.portcullis.protocol.codec.CodecFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per violation the decoder must catch: the bytes, and the reason code of the single
 * {@link MalformedPacket} expected. Every row is followed by a valid packet that must not be decoded,
 * and every row is run once as one read and once one byte at a time.
 */
class MalformedPacketDecodingTest {
    private static final MqttVersion V3 = MqttVersion.V3_1_1;
    private static final MqttVersion V5 = MqttVersion.V5;

    private static final int MALFORMED = ReasonCode.MALFORMED_PACKET;
    private static final int PROTOCOL_ERROR = ReasonCode.PROTOCOL_ERROR;
    private static final int UNSUPPORTED_VERSION = ReasonCode.UNSUPPORTED_PROTOCOL_VERSION;

    /**
     * @param serverSide   which decoder reads the bytes
     * @param version      the connection's version: a CONNECT of it comes first (server side) or it is set
     *                     on the decoder (client side); {@code null} when the bytes are the first packet
     */
    record Row(String name, boolean serverSide, MqttVersion version, byte[] bytes, int reasonCode) {
        @Override
        public String toString() {
            return name + (version == null ? "" : " (" + version.label() + ")");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void emitsOneMalformedPacketAndThenNothing(Row row) {
        assertOutcome(row, decode(decoder(row), input(row)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void emitsOneMalformedPacketWhenFedByteByByte(Row row) {
        assertOutcome(row, decodeByteByByte(decoder(row), input(row)));
    }

    @Test
    void reportsTheVersionAnnouncedByABadConnect() {
        List<MqttPacket> packets = decode(serverDecoder(), connectWithFlags(V5, "03"));

        MalformedPacket malformed = (MalformedPacket) packets.get(0);
        assertThat(malformed.version()).isEqualTo(V5);
        assertThat(malformed.packetType()).isEqualTo(PacketType.CONNECT);
    }

    @Test
    void reportsTheVersionOfAConnectWithBytesLeftOver() {
        List<MqttPacket> packets = decode(serverDecoder(), frame(0x10, utf8("MQTT"), "05 02 003c 00", utf8("c"), "00"));

        assertThat(packets).singleElement().isEqualTo(new MalformedPacket(V5, PacketType.CONNECT, MALFORMED,
                "CONNECT has 1 unexpected byte(s) after its last field"));
    }

    @Test
    void reportsNoVersionForAnUnsupportedProtocolLevel() {
        List<MqttPacket> packets = decode(serverDecoder(), frame(0x10, utf8("MQTT"), "03 02 003c", utf8("c")));

        assertThat(packets).singleElement().isEqualTo(new MalformedPacket(null, PacketType.CONNECT,
                UNSUPPORTED_VERSION, "protocol level 3 is not supported"));
    }

    @Test
    void namesTheFieldButNotTheBytesOfABadString() {
        List<MqttPacket> packets = decode(serverDecoder(), connectWithClientId(V3, "0003 61 c0af"));

        MalformedPacket malformed = (MalformedPacket) packets.get(0);
        assertThat(malformed.reason()).isEqualTo("client identifier is not well-formed UTF-8");
    }

    private static MqttPacketDecoder decoder(Row row) {
        return row.serverSide() ? serverDecoder() : clientDecoder(row.version());
    }

    private static byte[] input(Row row) {
        byte[] first = row.serverSide() && row.version() != null ? connect(row.version()) : new byte[0];
        // A valid packet for either side; it must be discarded after the failure.
        byte[] trailer = row.serverSide() ? hex("c0 00") : hex("d0 00");
        return concat(first, row.bytes(), trailer);
    }

    private static void assertOutcome(Row row, List<MqttPacket> packets) {
        int expectedSize = row.serverSide() && row.version() != null ? 2 : 1;
        assertThat(packets).hasSize(expectedSize);
        assertThat(packets.get(expectedSize - 1)).isInstanceOfSatisfying(MalformedPacket.class, malformed -> {
            assertThat(malformed.reasonCode()).as(malformed.reason()).isEqualTo(row.reasonCode());
            assertThat(malformed.reason()).isNotBlank();
        });
    }

    static Stream<Row> rows() {
        return Stream.of(
                // Fixed header
                both("Remaining Length longer than 4 bytes", hex("30 ff ff ff ff 01"), MALFORMED),
                // Variable Byte Integers in the fewest bytes [MQTT-1.5.5-1]
                both("Remaining Length 0 in two bytes", hex("c0 80 00"), MALFORMED),
                both("Remaining Length 2 in two bytes", hex("40 82 00 0001"), MALFORMED),
                both("Remaining Length 4 in four bytes", hex("30 84 80 80 00" + utf8("a") + "00"), MALFORMED),
                server(null, "CONNECT level 4 with its Remaining Length in two bytes", longerLength(connect(V3)),
                        MALFORMED),
                server(null, "CONNECT level 5 with its Remaining Length in two bytes", longerLength(connect(V5)),
                        MALFORMED),
                server(V5, "property length 0 in two bytes", frame(0x30, utf8("a"), "80 00"), MALFORMED),
                server(V5, "property identifier 1 in two bytes", frame(0x30, utf8("a"), "03 81 00 00"), MALFORMED),
                server(V5, "Subscription Identifier 1 in two bytes", frame(0x82, "0001 03 0b 81 00", utf8("a"), "00"),
                        MALFORMED),
                client(V5, "CONNACK property length 0 in two bytes", hex("20 04 00 00 80 00"), MALFORMED),
                server(null, "reserved packet type 0", hex("00 00"), MALFORMED),
                server(V3, "reserved packet type 0 after CONNECT", hex("00 00"), MALFORMED),
                server(V3, "AUTH is reserved in MQTT 3.1.1", hex("f0 00"), MALFORMED),
                client(V3, "AUTH is reserved in MQTT 3.1.1, client side", hex("f0 00"), MALFORMED),
                both("PUBREL flags 0000", hex("60 02 0001"), MALFORMED),
                both("SUBSCRIBE flags 0000", frame(0x80, "0001", utf8("a"), "00"), MALFORMED),
                both("UNSUBSCRIBE flags 0000", frame(0xA0, "0001", utf8("a")), MALFORMED),
                both("PUBACK flags 0010", hex("42 02 0001"), MALFORMED),
                both("PINGREQ flags 0001", hex("c1 00"), MALFORMED),
                both("DISCONNECT flags 1000", hex("e8 00"), MALFORMED),
                server(null, "CONNECT flags 0001", hex("11 00"), MALFORMED),
                both("PUBLISH QoS 3", frame(0x36, utf8("a"), "0001"), MALFORMED),
                both("PUBLISH DUP with QoS 0", frame(0x38, utf8("a")), PROTOCOL_ERROR),
                // Order and direction
                server(null, "first packet is not CONNECT", hex("c0 00"), PROTOCOL_ERROR),
                server(null, "first packet is PUBLISH", frame(0x30, utf8("a")), PROTOCOL_ERROR),
                both("CONNACK sent to a server", hex("20 02 00 00"), PROTOCOL_ERROR),
                both("SUBACK sent to a server", hex("90 03 0001 00"), PROTOCOL_ERROR),
                both("UNSUBACK sent to a server", hex("b0 02 0001"), PROTOCOL_ERROR),
                both("PINGRESP sent to a server", hex("d0 00"), PROTOCOL_ERROR),
                // CONNECT
                server(null, "protocol name MQIsdp, level 3",
                        frame(0x10, utf8("MQIsdp"), "03 02 003c", utf8("c")), UNSUPPORTED_VERSION),
                server(null, "protocol name other than MQTT",
                        frame(0x10, utf8("MQTX"), "04 02 003c", utf8("c")), UNSUPPORTED_VERSION),
                server(null, "protocol level 3 with name MQTT",
                        frame(0x10, utf8("MQTT"), "03 02 003c", utf8("c")), UNSUPPORTED_VERSION),
                server(null, "protocol level 6", frame(0x10, utf8("MQTT"), "06 02 003c", utf8("c")),
                        UNSUPPORTED_VERSION),
                connectRow("reserved connect flag set", connectWithFlags(V3, "03"), MALFORMED),
                connectRow("reserved connect flag set", connectWithFlags(V5, "03"), MALFORMED),
                connectRow("Will QoS 3", connectWithFlags(V3, "1e"), MALFORMED),
                connectRow("Will QoS 3", connectWithFlags(V5, "1e"), MALFORMED),
                connectRow("Will QoS without the Will flag", connectWithFlags(V3, "0a"), MALFORMED),
                connectRow("Will QoS without the Will flag", connectWithFlags(V5, "0a"), MALFORMED),
                connectRow("Will Retain without the Will flag", connectWithFlags(V3, "22"), MALFORMED),
                connectRow("Will Retain without the Will flag", connectWithFlags(V5, "22"), MALFORMED),
                connectRow("password without user name",
                        frame(0x10, utf8("MQTT"), "04 42 003c", utf8("c"), "0002 7077"), MALFORMED),
                connectRow("Will topic with a wildcard",
                        frame(0x10, utf8("MQTT"), "04 06 003c", utf8("c"), utf8("a/#"), "0000"), MALFORMED),
                connectRow("empty Will topic",
                        frame(0x10, utf8("MQTT"), "04 06 003c", utf8("c"), utf8(""), "0000"), PROTOCOL_ERROR),
                connectRow("CONNECT ends inside the client identifier",
                        frame(0x10, utf8("MQTT"), "04 02 003c", "0005 6162"), MALFORMED),
                connectRow("CONNECT with bytes left over",
                        frame(0x10, utf8("MQTT"), "04 02 003c", utf8("c"), "00"), MALFORMED),
                // Strings [MQTT-1.5.4-1], [MQTT-1.5.4-2]
                connectRow("overlong UTF-8 form", connectWithClientId(V3, "0002 c0af"), MALFORMED),
                connectRow("overlong three-byte UTF-8 form", connectWithClientId(V5, "0003 e08080"), MALFORMED),
                connectRow("surrogate U+D800 in UTF-8", connectWithClientId(V3, "0003 eda080"), MALFORMED),
                connectRow("surrogate U+DFFF in UTF-8", connectWithClientId(V5, "0003 edbfbf"), MALFORMED),
                connectRow("truncated UTF-8 sequence", connectWithClientId(V3, "0002 e282"), MALFORMED),
                connectRow("UTF-8 continuation byte without a lead", connectWithClientId(V5, "0001 80"), MALFORMED),
                connectRow("UTF-8 past U+10FFFF", connectWithClientId(V3, "0004 f4908080"), MALFORMED),
                connectRow("U+0000 in a string", connectWithClientId(V5, "0003 610062"), MALFORMED),
                both("U+0000 in a topic name", frame(0x30, "0001 00"), MALFORMED),
                server(V3, "ill-formed UTF-8 in a topic filter", frame(0x82, "0001", "0001 ff", "00"), MALFORMED),
                server(V5, "ill-formed UTF-8 in a topic filter", frame(0x82, "0001 00", "0001 ff", "00"), MALFORMED),
                server(V5, "ill-formed UTF-8 in a User Property", frame(0x30, utf8("a"), "07 26 0001 fe", utf8("v")),
                        MALFORMED),
                // Packet identifiers [MQTT-2.2.1-3]
                both("PUBLISH QoS 1 with packet identifier 0", frame(0x32, utf8("a"), "0000"), PROTOCOL_ERROR),
                both("PUBLISH QoS 2 with packet identifier 0", frame(0x34, utf8("a"), "0000"), PROTOCOL_ERROR),
                both("PUBACK with packet identifier 0", hex("40 02 0000"), PROTOCOL_ERROR),
                both("PUBREC with packet identifier 0", hex("50 02 0000"), PROTOCOL_ERROR),
                both("PUBREL with packet identifier 0", hex("62 02 0000"), PROTOCOL_ERROR),
                both("PUBCOMP with packet identifier 0", hex("70 02 0000"), PROTOCOL_ERROR),
                server(V3, "SUBSCRIBE with packet identifier 0", frame(0x82, "0000", utf8("a"), "00"),
                        PROTOCOL_ERROR),
                server(V5, "SUBSCRIBE with packet identifier 0", frame(0x82, "0000 00", utf8("a"), "00"),
                        PROTOCOL_ERROR),
                server(V3, "UNSUBSCRIBE with packet identifier 0", frame(0xA2, "0000", utf8("a")), PROTOCOL_ERROR),
                server(V5, "UNSUBSCRIBE with packet identifier 0", frame(0xA2, "0000 00", utf8("a")),
                        PROTOCOL_ERROR),
                // PUBLISH topics
                both("PUBLISH topic with +", frame(0x30, utf8("a/+"), "00"), MALFORMED),
                both("PUBLISH topic with #", frame(0x30, utf8("#"), "00"), MALFORMED),
                server(V3, "empty PUBLISH topic", frame(0x30, utf8("")), PROTOCOL_ERROR),
                server(V5, "empty PUBLISH topic without Topic Alias", frame(0x30, utf8(""), "00"), PROTOCOL_ERROR),
                server(V3, "PUBLISH ends inside the packet identifier", frame(0x32, utf8("a"), "00"), MALFORMED),
                // SUBSCRIBE and UNSUBSCRIBE
                server(V3, "SUBSCRIBE with no filters", frame(0x82, "0001"), PROTOCOL_ERROR),
                server(V5, "SUBSCRIBE with no filters", frame(0x82, "0001 00"), PROTOCOL_ERROR),
                server(V3, "requested QoS byte with upper bits set", frame(0x82, "0001", utf8("a"), "04"),
                        MALFORMED),
                server(V3, "requested QoS 3", frame(0x82, "0001", utf8("a"), "03"), MALFORMED),
                server(V5, "subscription options with reserved bits set", frame(0x82, "0001 00", utf8("a"), "c0"),
                        MALFORMED),
                server(V5, "subscription QoS 3", frame(0x82, "0001 00", utf8("a"), "03"), PROTOCOL_ERROR),
                server(V5, "Retain Handling 3", frame(0x82, "0001 00", utf8("a"), "30"), PROTOCOL_ERROR),
                server(V5, "No Local on a shared subscription", frame(0x82, "0001 00", utf8("$share/g/a"), "04"),
                        PROTOCOL_ERROR),
                server(V3, "SUBSCRIBE filter without options byte", frame(0x82, "0001", utf8("a")), MALFORMED),
                server(V3, "UNSUBSCRIBE with no filters", frame(0xA2, "0001"), PROTOCOL_ERROR),
                server(V5, "UNSUBSCRIBE with no filters", frame(0xA2, "0001 00"), PROTOCOL_ERROR),
                // Packets that must be empty, and sizes inside packets
                both("PINGREQ with a non-zero remaining length", hex("c0 01 00"), MALFORMED),
                client(V3, "PINGRESP with a non-zero remaining length", hex("d0 01 00"), MALFORMED),
                client(V5, "PINGRESP with a non-zero remaining length", hex("d0 01 00"), MALFORMED),
                server(V3, "MQTT 3.1.1 DISCONNECT with a non-zero remaining length", hex("e0 01 00"), MALFORMED),
                server(V3, "PUBACK with bytes left over", hex("40 03 0001 00"), MALFORMED),
                both("PUBACK with bytes missing", hex("40 01 00"), MALFORMED),
                client(V3, "CONNACK with bytes left over", hex("20 03 00 00 00"), MALFORMED),
                client(V3, "CONNACK with reserved flags", hex("20 02 02 00"), MALFORMED),
                client(V3, "UNSUBACK with bytes left over", hex("b0 03 0001 00"), MALFORMED),
                client(V3, "SUBACK with an undefined return code", hex("90 03 0001 03"), PROTOCOL_ERROR),
                // MQTT 5 properties
                server(V5, "unknown property identifier", frame(0x30, utf8("a"), "02 07 00"), MALFORMED),
                server(V5, "property identifier 0", frame(0x30, utf8("a"), "02 00 00"), MALFORMED),
                server(V5, "property not allowed in PUBLISH", frame(0x30, utf8("a"), "05 11 0000000a"), MALFORMED),
                server(V5, "property not allowed in PUBACK", frame(0x40, "0001 00 03 21 0001"), MALFORMED),
                server(V5, "Will Delay Interval in CONNECT properties",
                        frame(0x10, utf8("MQTT"), "05 02 003c", "05 18 0000000a", utf8("c")), MALFORMED),
                server(V5, "Payload Format Indicator twice", frame(0x30, utf8("a"), "04 01 00 01 00"),
                        PROTOCOL_ERROR),
                server(V5, "Reason String twice", frame(0x40, "0001 00 08", "1f" + utf8("x"), "1f" + utf8("y")),
                        PROTOCOL_ERROR),
                server(V5, "Subscription Identifier twice in SUBSCRIBE",
                        frame(0x82, "0001 04 0b01 0b02", utf8("a"), "00"), PROTOCOL_ERROR),
                connectRow("Receive Maximum twice", connectWithProperties("06 2100 0a 2100 0b"), PROTOCOL_ERROR),
                connectRow("Receive Maximum 0", connectWithProperties("03 21 0000"), PROTOCOL_ERROR),
                connectRow("Maximum Packet Size 0", connectWithProperties("05 27 00000000"), PROTOCOL_ERROR),
                connectRow("Request Problem Information 2", connectWithProperties("02 17 02"), PROTOCOL_ERROR),
                connectRow("Request Response Information 2", connectWithProperties("02 19 02"), PROTOCOL_ERROR),
                connectRow("Authentication Data without Authentication Method",
                        connectWithProperties("04 16 0001 ff"), PROTOCOL_ERROR),
                server(V5, "Payload Format Indicator 2", frame(0x30, utf8("a"), "02 01 02"), PROTOCOL_ERROR),
                server(V5, "Subscription Identifier 0 in SUBSCRIBE", frame(0x82, "0001 02 0b 00", utf8("a"), "00"),
                        PROTOCOL_ERROR),
                server(V5, "Subscription Identifier in a PUBLISH from a client", frame(0x30, utf8("a"), "02 0b 01"),
                        PROTOCOL_ERROR),
                client(V5, "Subscription Identifier 0 in PUBLISH", frame(0x30, utf8("a"), "02 0b 00"),
                        PROTOCOL_ERROR),
                server(V5, "Topic Alias 0", frame(0x30, utf8("a"), "03 23 0000"), ReasonCode.TOPIC_ALIAS_INVALID),
                server(V5, "Response Topic with a wildcard", frame(0x30, utf8("a"), "06 08" + utf8("r/+")),
                        MALFORMED),
                client(V5, "Maximum QoS 2 in CONNACK", hex("20 05 00 00 02 24 02"), PROTOCOL_ERROR),
                client(V5, "Retain Available 2 in CONNACK", hex("20 05 00 00 02 25 02"), PROTOCOL_ERROR),
                server(V5, "property length runs past the packet", frame(0x30, utf8("a"), "05 01"), MALFORMED),
                server(V5, "property value runs past the property length", frame(0x30, utf8("a"), "02 02 00"),
                        MALFORMED),
                server(V5, "property length longer than 4 bytes", frame(0x30, utf8("a"), "ff ff ff ff 01"),
                        MALFORMED),
                server(V5, "Subscription Identifier longer than 4 bytes",
                        frame(0x82, "0001 06 0b ff ff ff ff 01", utf8("a"), "00"), MALFORMED),
                server(V5, "User Property without its value", frame(0x30, utf8("a"), "04 26" + utf8("k")),
                        MALFORMED),
                // Reason codes
                server(V5, "PUBACK with an undefined reason code", hex("40 03 0001 05"), PROTOCOL_ERROR),
                server(V5, "PUBREL with a PUBACK reason code", hex("62 03 0001 10"), PROTOCOL_ERROR),
                server(V5, "DISCONNECT with an undefined reason code", hex("e0 01 03"), PROTOCOL_ERROR),
                server(V5, "AUTH with an undefined reason code", hex("f0 01 01"), PROTOCOL_ERROR),
                server(V5, "AUTH without Authentication Method", hex("f0 02 18 00"), PROTOCOL_ERROR),
                client(V5, "CONNACK session present on a refusal", hex("20 03 01 87 00"), PROTOCOL_ERROR))
                .flatMap(s -> s);
    }

    /** Client to server, on an open server-side connection of each version. */
    private static Stream<Row> both(String name, byte[] bytes, int reasonCode) {
        return Stream.of(new Row(name, true, V3, bytes, reasonCode), new Row(name, true, V5, bytes, reasonCode));
    }

    private static Stream<Row> server(MqttVersion version, String name, byte[] bytes, int reasonCode) {
        return Stream.of(new Row(name, true, version, bytes, reasonCode));
    }

    private static Stream<Row> client(MqttVersion version, String name, byte[] bytes, int reasonCode) {
        return Stream.of(new Row(name, false, version, bytes, reasonCode));
    }

    /** A CONNECT as the first packet of a server-side connection. */
    private static Stream<Row> connectRow(String name, byte[] bytes, int reasonCode) {
        return Stream.of(new Row(name + " (CONNECT level " + bytes[8] + ")", true, null, bytes, reasonCode));
    }

    /** The same packet with its one-byte Remaining Length written in two bytes (0x80 | length, then 0x00). */
    private static byte[] longerLength(byte[] packet) {
        byte[] longer = new byte[packet.length + 1];
        longer[0] = packet[0];
        longer[1] = (byte) (packet[1] | 0x80);
        longer[2] = 0;
        System.arraycopy(packet, 2, longer, 3, packet.length - 2);
        return longer;
    }

    private static byte[] connectWithFlags(MqttVersion version, String flags) {
        return frame(0x10, utf8("MQTT"), String.format("%02x", version.level()), flags, "003c",
                version.isV5() ? "00" : "", utf8("c"));
    }

    private static byte[] connectWithClientId(MqttVersion version, String clientIdField) {
        return frame(0x10, utf8("MQTT"), String.format("%02x", version.level()), "02 003c",
                version.isV5() ? "00" : "", clientIdField);
    }

    private static byte[] connectWithProperties(String properties) {
        return frame(0x10, utf8("MQTT"), "05 02 003c", properties, utf8("c"));
    }
}
