package io.portcullis.protocol.codec;

import static io.portcullis.protocol.codec.CodecFixtures.clientDecoder;
import static io.portcullis.protocol.codec.CodecFixtures.concat;
import static io.portcullis.protocol.codec.CodecFixtures.decode;
import static io.portcullis.protocol.codec.CodecFixtures.encode;
import static io.portcullis.protocol.codec.CodecFixtures.serverDecoder;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet type, in both versions, encoded by {@link MqttPacketEncoder} and decoded back by
 * {@link MqttPacketDecoder}: client-to-server packets by a server-side decoder after a CONNECT,
 * server-to-client packets by a client-side decoder. For MQTT 3.1.1 the expected value is the packet
 * with every MQTT 5-only field at its default.
 */
class MqttCodecRoundTripTest {
    private static final MqttVersion V3 = MqttVersion.V3_1_1;
    private static final MqttVersion V5 = MqttVersion.V5;

    private static final List<UserProperty> USER_PROPERTIES = List.of(new UserProperty("region", "eu"),
            new UserProperty("b", "2"), new UserProperty("region", "us"), new UserProperty("ключ", "值 ✓"));

    enum Direction { TO_SERVER, TO_CLIENT }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void decodesWhatItEncodes(String name, MqttVersion version, MqttPacket packet, MqttPacket expected,
            Direction direction) {
        byte[] encoded = encode(packet, version);

        MqttPacket decoded;
        if (packet instanceof Connect) {
            decoded = single(decode(serverDecoder(), encoded));
        } else if (direction == Direction.TO_SERVER) {
            List<MqttPacket> packets = decode(serverDecoder(), concat(CodecFixtures.connect(version), encoded));
            assertThat(packets).hasSize(2).first().isInstanceOf(Connect.class);
            decoded = packets.get(1);
        } else {
            decoded = single(decode(clientDecoder(version), encoded));
        }

        assertThat(decoded).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(expected);
        assertThat(MqttPacketEncoder.encodedSize(packet, version)).isEqualTo(encoded.length);
    }

    private static MqttPacket single(List<MqttPacket> packets) {
        assertThat(packets).hasSize(1);
        return packets.get(0);
    }

    static Stream<Arguments> packets() {
        return Stream.of(
                row("CONNECT minimal", V5, minimalConnect(V5), minimalConnect(V5), Direction.TO_SERVER),
                row("CONNECT minimal", V3, minimalConnect(V3), minimalConnect(V3), Direction.TO_SERVER),
                row("CONNECT 5 with every property and Will", V5, fullConnect(V5), fullConnect(V5),
                        Direction.TO_SERVER),
                row("CONNECT 3.1.1 with Will", V3, fullConnect(V3), v3Connect(), Direction.TO_SERVER),
                row("CONNACK 5 with every property", V5, fullConnack(), fullConnack(), Direction.TO_CLIENT),
                row("CONNACK 3.1.1", V3, fullConnack(), Connack.of(true, 0, null), Direction.TO_CLIENT),
                row("CONNACK refusal", V5, Connack.of(false, 0x87, "no binding"),
                        Connack.of(false, 0x87, "no binding"), Direction.TO_CLIENT),
                // The caller supplies the 3.1.1 return code; the reason string has nowhere to go.
                row("CONNACK refusal", V3, Connack.of(false, 5, "no binding"), Connack.of(false, 5, null),
                        Direction.TO_CLIENT),
                row("PUBLISH 5 QoS 0", V5, publish(0, 0, PublishProperties.NONE),
                        publish(0, 0, PublishProperties.NONE), Direction.TO_SERVER),
                row("PUBLISH 5 QoS 1 with every client property", V5, publish(1, 7, clientProperties()),
                        publish(1, 7, clientProperties()), Direction.TO_SERVER),
                row("PUBLISH 5 QoS 2 to a subscriber with subscription identifiers", V5,
                        publish(2, 65_535, serverProperties()), publish(2, 65_535, serverProperties()),
                        Direction.TO_CLIENT),
                row("PUBLISH 5 with empty topic and Topic Alias", V5,
                        new Publish("", 1, false, false, 3, new byte[0], PublishProperties.NONE.withTopicAlias(4)),
                        new Publish("", 1, false, false, 3, new byte[0], PublishProperties.NONE.withTopicAlias(4)),
                        Direction.TO_SERVER),
                row("PUBLISH 3.1.1 QoS 1 drops properties", V3, publish(1, 7, clientProperties()),
                        publish(1, 7, PublishProperties.NONE), Direction.TO_SERVER),
                row("PUBLISH 3.1.1 QoS 2 dup retain empty payload", V3,
                        new Publish("a/b", 2, true, true, 9, new byte[0], PublishProperties.NONE),
                        new Publish("a/b", 2, true, true, 9, new byte[0], PublishProperties.NONE),
                        Direction.TO_CLIENT),
                both("PUBACK success", new Puback(1, 0), new Puback(1, 0), Direction.TO_SERVER),
                both("PUBACK reason only", new Puback(2, 0x10), new Puback(2, 0), Direction.TO_CLIENT),
                both("PUBACK with properties", new Puback(3, 0x87, "denied", USER_PROPERTIES), new Puback(3, 0),
                        Direction.TO_CLIENT),
                both("PUBREC with properties", new Pubrec(4, 0x80, "full", USER_PROPERTIES), new Pubrec(4, 0),
                        Direction.TO_SERVER),
                both("PUBREC success", new Pubrec(5, 0), new Pubrec(5, 0), Direction.TO_CLIENT),
                both("PUBREL with properties", new Pubrel(6, 0x92, "lost", USER_PROPERTIES), new Pubrel(6, 0),
                        Direction.TO_SERVER),
                both("PUBREL success", new Pubrel(7, 0), new Pubrel(7, 0), Direction.TO_CLIENT),
                both("PUBCOMP with properties", new Pubcomp(8, 0, "done", USER_PROPERTIES), new Pubcomp(8, 0),
                        Direction.TO_CLIENT),
                both("PUBCOMP reason only", new Pubcomp(9, 0x92), new Pubcomp(9, 0), Direction.TO_SERVER),
                both("SUBSCRIBE", fullSubscribe(), v3Subscribe(), Direction.TO_SERVER),
                row("SUBACK 5", V5, fullSuback(), fullSuback(), Direction.TO_CLIENT),
                row("SUBACK 3.1.1 maps failures to 0x80", V3, fullSuback(),
                        new Suback(12, List.of(0, 1, 2, 0x80, 0x80), null, List.of()), Direction.TO_CLIENT),
                both("UNSUBSCRIBE", new Unsubscribe(13, List.of("a/#", "$share/g/b"), USER_PROPERTIES),
                        new Unsubscribe(13, List.of("a/#", "$share/g/b"), List.of()), Direction.TO_SERVER),
                row("UNSUBACK 5", V5, new Unsuback(14, List.of(0, 0x11, 0x87), "partly", USER_PROPERTIES),
                        new Unsuback(14, List.of(0, 0x11, 0x87), "partly", USER_PROPERTIES), Direction.TO_CLIENT),
                row("UNSUBACK 3.1.1", V3, new Unsuback(14, List.of(0), null, List.of()),
                        new Unsuback(14, List.of(), null, List.of()), Direction.TO_CLIENT),
                both("PINGREQ", Pingreq.INSTANCE, Pingreq.INSTANCE, Direction.TO_SERVER),
                both("PINGRESP", Pingresp.INSTANCE, Pingresp.INSTANCE, Direction.TO_CLIENT),
                both("DISCONNECT normal", Disconnect.of(0, null), Disconnect.of(0, null), Direction.TO_SERVER),
                both("DISCONNECT with will, reason only", Disconnect.of(0x04, null), Disconnect.of(0, null),
                        Direction.TO_SERVER),
                both("DISCONNECT with every property",
                        new Disconnect(0x8E, 30L, "taken over", USER_PROPERTIES, "other.example:8883"),
                        Disconnect.of(0, null), Direction.TO_CLIENT),
                row("AUTH with every property", V5,
                        new Auth(0x18, "CUSTOM-JWT", new byte[] {1, 2, 3}, "more", USER_PROPERTIES),
                        new Auth(0x18, "CUSTOM-JWT", new byte[] {1, 2, 3}, "more", USER_PROPERTIES),
                        Direction.TO_SERVER),
                row("AUTH success short form", V5, new Auth(0, null, null, null, List.of()),
                        new Auth(0, null, null, null, List.of()), Direction.TO_CLIENT))
                .flatMap(s -> s);
    }

    private static Stream<Arguments> row(String name, MqttVersion version, MqttPacket packet, MqttPacket expected,
            Direction direction) {
        return Stream.of(Arguments.of(name + " (" + version.label() + ")", version, packet, expected, direction));
    }

    /** The packet as is in MQTT 5, and as {@code v3Expected} after an MQTT 3.1.1 round trip. */
    private static Stream<Arguments> both(String name, MqttPacket packet, MqttPacket v3Expected, Direction direction) {
        return Stream.concat(row(name, V5, packet, packet, direction), row(name, V3, packet, v3Expected, direction));
    }

    private static Connect minimalConnect(MqttVersion version) {
        return new Connect(version, "pump-3", true, 60, null, null, null, 0, Connect.DEFAULT_RECEIVE_MAXIMUM,
                Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null, null);
    }

    private static Connect fullConnect(MqttVersion version) {
        PublishProperties willProperties = new PublishProperties(1, 3_600L, 0, "replies/pump-3",
                new byte[] {9, 8}, USER_PROPERTIES, List.of(), "application/json");
        Connect.Will will = new Connect.Will("status/pump-3", "gone".getBytes(StandardCharsets.UTF_8), 1, true,
                willProperties, 120);
        return new Connect(version, "pump-3", false, 1_160, "fleet-7", new byte[] {0, 1, (byte) 0xFF}, will,
                86_400, 100, 512 * 1024, 10, true, false, USER_PROPERTIES, "CUSTOM-JWT", new byte[] {4, 5});
    }

    private static Connect v3Connect() {
        Connect.Will will = new Connect.Will("status/pump-3", "gone".getBytes(StandardCharsets.UTF_8), 1, true,
                PublishProperties.NONE, 0);
        return new Connect(V3, "pump-3", false, 1_160, "fleet-7", new byte[] {0, 1, (byte) 0xFF}, will, 0,
                Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null,
                null);
    }

    private static Connack fullConnack() {
        return new Connack(true, 0, 7_200L, 1_000, 1, true, 524_288L, "auto-1f3a", 10, "welcome",
                USER_PROPERTIES, false, true, true, 600, "resp/", "backup.example:8883", "CUSTOM-JWT",
                new byte[] {7});
    }

    private static Publish publish(int qos, int packetId, PublishProperties properties) {
        return new Publish("plant/line-1/temp", qos, qos == 1, false, packetId,
                "21.5".getBytes(StandardCharsets.UTF_8), properties);
    }

    private static PublishProperties clientProperties() {
        return new PublishProperties(0, 60L, 3, "replies/x", new byte[] {1}, USER_PROPERTIES, List.of(), "text/plain");
    }

    private static PublishProperties serverProperties() {
        return new PublishProperties(1, 0L, 0, null, null, USER_PROPERTIES, List.of(1, 268_435_455, 1), null);
    }

    private static Subscribe fullSubscribe() {
        return new Subscribe(11, List.of(
                new Subscribe.Subscription("a/+/c", 0, true, false, 0),
                new Subscribe.Subscription("b/#", 1, false, true, 1),
                new Subscribe.Subscription("$share/g/c", 2, false, false, 2)), 268_435_455, USER_PROPERTIES);
    }

    private static Subscribe v3Subscribe() {
        return new Subscribe(11, List.of(
                new Subscribe.Subscription("a/+/c", 0, false, false, 0),
                new Subscribe.Subscription("b/#", 1, false, false, 0),
                new Subscribe.Subscription("$share/g/c", 2, false, false, 0)), 0, List.of());
    }

    private static Suback fullSuback() {
        return new Suback(12, List.of(0, 1, 2, 0x80, 0x87), "one denied", USER_PROPERTIES);
    }
}
