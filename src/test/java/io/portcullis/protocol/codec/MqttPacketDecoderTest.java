package io.portcullis.protocol.codec;

import static io.portcullis.protocol.codec.CodecFixtures.clientDecoder;
import static io.portcullis.protocol.codec.CodecFixtures.concat;
import static io.portcullis.protocol.codec.CodecFixtures.connect;
import static io.portcullis.protocol.codec.CodecFixtures.decode;
import static io.portcullis.protocol.codec.CodecFixtures.decodeByteByByte;
import static io.portcullis.protocol.codec.CodecFixtures.encode;
import static io.portcullis.protocol.codec.CodecFixtures.hex;
import static io.portcullis.protocol.codec.CodecFixtures.serverDecoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MqttPacketDecoder} on hand-written bytes laid out as in the standards' figures, on split and
 * coalesced reads, and on the maximum packet size. The encoder must produce the same bytes.
 */
class MqttPacketDecoderTest {

    /** MQTT 3.1.1 section 3.1: user name, password, Will QoS 1, Will flag, clean session; keep alive 10. */
    private static final byte[] CONNECT_V3 = hex("10 22"
            + "0004 4d515454 04 ce 000a"
            + "0003 616263"
            + "0003 742f77" + "0002 6869"
            + "0004 75736572" + "0002 7077");

    /** MQTT 5.0 section 3.1 with properties: Session Expiry 10, Receive Maximum 20, one User Property. */
    private static final byte[] CONNECT_V5 = hex("10 3a"
            + "0004 4d515454 05 ce 000a"
            + "0f 11 0000000a 21 0014 26 0001 6b 0001 76"
            + "0003 616263"
            + "07 18 00000005 01 01"
            + "0003 742f77" + "0002 6869"
            + "0004 75736572" + "0002 7077");

    /** PUBLISH QoS 1, topic "a/b", packet identifier 10, payload "hi". */
    private static final byte[] PUBLISH_QOS1_V3 = hex("32 09 0003 612f62 000a 6869");

    /** SUBSCRIBE packet id 10, Subscription Identifier 5, "a/b" QoS 1 + No Local + RAP + RH 1, "c/#" QoS 2 RH 2. */
    private static final byte[] SUBSCRIBE_V5 = hex("82 11 000a 02 0b05 0003 612f62 1d 0003 632f23 22");

    private static Connect expectedConnectV3() {
        Connect.Will will = new Connect.Will("t/w", bytes("hi"), 1, false, PublishProperties.NONE, 0);
        return new Connect(MqttVersion.V3_1_1, "abc", true, 10, "user", bytes("pw"), will, 0,
                Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null, null);
    }

    private static Connect expectedConnectV5() {
        PublishProperties willProperties = new PublishProperties(1, null, 0, null, null, List.of(), List.of(), null);
        Connect.Will will = new Connect.Will("t/w", bytes("hi"), 1, false, willProperties, 5);
        return new Connect(MqttVersion.V5, "abc", true, 10, "user", bytes("pw"), will, 10, 20,
                Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(new UserProperty("k", "v")), null, null);
    }

    private static Subscribe expectedSubscribeV5() {
        return new Subscribe(10, List.of(new Subscribe.Subscription("a/b", 1, true, true, 1),
                new Subscribe.Subscription("c/#", 2, false, false, 2)), 5, List.of());
    }

    @Test
    void decodesAndEncodesMqtt311ConnectAsLaidOutInTheStandard() {
        assertSingle(decode(serverDecoder(), CONNECT_V3), expectedConnectV3());
        assertThat(encode(expectedConnectV3(), null)).isEqualTo(CONNECT_V3);
    }

    @Test
    void decodesAndEncodesMqtt5ConnectWithProperties() {
        assertSingle(decode(serverDecoder(), CONNECT_V5), expectedConnectV5());
        assertThat(encode(expectedConnectV5(), null)).isEqualTo(CONNECT_V5);
    }

    @Test
    void decodesAndEncodesPublishQos1() {
        Publish expected = new Publish("a/b", 1, false, false, 10, bytes("hi"), PublishProperties.NONE);

        List<MqttPacket> packets = decode(serverDecoder(), concat(connect(MqttVersion.V3_1_1), PUBLISH_QOS1_V3));

        assertThat(packets).hasSize(2);
        assertThat(packets.get(1)).usingRecursiveComparison().isEqualTo(expected);
        assertThat(encode(expected, MqttVersion.V3_1_1)).isEqualTo(PUBLISH_QOS1_V3);
    }

    @Test
    void decodesAndEncodesMqtt5SubscribeWithOptions() {
        List<MqttPacket> packets = decode(serverDecoder(), concat(connect(MqttVersion.V5), SUBSCRIBE_V5));

        assertThat(packets).hasSize(2);
        assertThat(packets.get(1)).usingRecursiveComparison().isEqualTo(expectedSubscribeV5());
        assertThat(encode(expectedSubscribeV5(), MqttVersion.V5)).isEqualTo(SUBSCRIBE_V5);
    }

    @Test
    void decodesSeveralPacketsFromOneRead() {
        byte[] stream = concat(CONNECT_V5, SUBSCRIBE_V5, hex("c0 00"), hex("30 05 0001 61 00 ff"), hex("e0 00"));

        List<MqttPacket> packets = decode(serverDecoder(), stream);

        assertThat(packets).extracting(MqttPacket::type).containsExactly(PacketType.CONNECT, PacketType.SUBSCRIBE,
                PacketType.PINGREQ, PacketType.PUBLISH, PacketType.DISCONNECT);
    }

    @Test
    void decodesPacketsDeliveredOneByteAtATime() {
        byte[] stream = concat(CONNECT_V5, SUBSCRIBE_V5, hex("c0 00"), hex("30 05 0001 61 00 ff"));

        List<MqttPacket> packets = decodeByteByByte(serverDecoder(), stream);

        assertThat(packets).hasSize(4);
        assertThat(packets.get(0)).usingRecursiveComparison().isEqualTo(expectedConnectV5());
        assertThat(packets.get(1)).usingRecursiveComparison().isEqualTo(expectedSubscribeV5());
        assertThat(packets.get(2)).isEqualTo(Pingreq.INSTANCE);
        assertThat(((Publish) packets.get(3)).payload()).containsExactly(0xff);
    }

    @Test
    void decodesALargePublishSplitAcrossManyReads() {
        byte[] payload = new byte[70_000];
        Arrays.fill(payload, (byte) 7);
        Publish publish = new Publish("big", 0, false, false, 0, payload, PublishProperties.NONE);
        byte[] encoded = encode(publish, MqttVersion.V5);
        byte[][] chunks = new byte[encoded.length / 1000 + 1][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = Arrays.copyOfRange(encoded, i * 1000, Math.min(encoded.length, (i + 1) * 1000));
        }

        List<MqttPacket> packets = decode(clientDecoder(MqttVersion.V5), chunks);

        // Compared directly: a recursive comparison walks the 70,000 array elements one by one, slowly.
        Publish decoded = (Publish) packets.get(0);
        assertThat(packets).hasSize(1);
        assertThat(decoded.topic()).isEqualTo("big");
        assertThat(decoded.payload()).isEqualTo(payload);
    }

    @Test
    void refusesAnOversizedPacketFromItsHeaderAlone() {
        MqttPacketDecoder decoder = new MqttPacketDecoder(100, true);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer(connect(MqttVersion.V5)));
        assertThat((Object) channel.readInbound()).isInstanceOf(Connect.class);

        // PUBLISH announcing 1,000 bytes of Remaining Length; none of them has arrived.
        channel.writeInbound(Unpooled.wrappedBuffer(hex("30 e8 07")));

        MalformedPacket malformed = channel.readInbound();
        assertThat(malformed.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
        assertThat(malformed.version()).isEqualTo(MqttVersion.V5);
        assertThat(malformed.packetType()).isEqualTo(PacketType.PUBLISH);
        assertThat(malformed.reason()).contains("1003").contains("100");

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1000]), Unpooled.wrappedBuffer(hex("c0 00")));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.hasFailed()).isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void acceptsAPacketOfExactlyTheMaximumSize() {
        // Larger than the CONNECT, so only the PUBLISH meets the limit.
        byte[] publish = CodecFixtures.frame(0x30, "0001 61", "00".repeat(20));
        byte[] connect = connect(MqttVersion.V3_1_1);

        assertThat(decode(new MqttPacketDecoder(publish.length, true), connect, publish))
                .extracting(MqttPacket::type).containsExactly(PacketType.CONNECT, PacketType.PUBLISH);
        List<MqttPacket> tooSmall = decode(new MqttPacketDecoder(publish.length - 1, true), connect, publish);
        assertThat(tooSmall).hasSize(2);
        assertThat(((MalformedPacket) tooSmall.get(1)).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
    }

    @Test
    void refusesAnOversizedConnectWithoutAVersion() {
        List<MqttPacket> packets = decode(new MqttPacketDecoder(20, true), hex("10 ff 7f"));

        assertThat(packets).singleElement().isEqualTo(new MalformedPacket(null, PacketType.CONNECT,
                ReasonCode.PACKET_TOO_LARGE, "packet of 16386 bytes exceeds the maximum packet size of 20"));
    }

    @Test
    void takesTheVersionFromTheFirstConnectAndDecodesASecondOne() {
        MqttPacketDecoder decoder = serverDecoder();

        List<MqttPacket> packets = decode(decoder, CONNECT_V3, connect(MqttVersion.V5), hex("e0 00"));

        assertThat(decoder.version()).isEqualTo(MqttVersion.V3_1_1);
        assertThat(packets).extracting(MqttPacket::type)
                .containsExactly(PacketType.CONNECT, PacketType.CONNECT, PacketType.DISCONNECT);
        assertThat(((Connect) packets.get(1)).version()).isEqualTo(MqttVersion.V5);
    }

    @Test
    void releasesEveryInputBufferIncludingThoseDiscardedAfterAFailure() {
        EmbeddedChannel channel = new EmbeddedChannel(serverDecoder());
        List<ByteBuf> inputs = List.of(pooled(CONNECT_V5), pooled(SUBSCRIBE_V5), pooled(hex("30 05 0001")),
                pooled(hex("61 00")), pooled(hex("00 00")), pooled(hex("c0 00")));

        inputs.forEach(channel::writeInbound);
        channel.finishAndReleaseAll();

        assertThat(inputs).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    private static ByteBuf pooled(byte[] bytes) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        return buffer.writeBytes(bytes);
    }

    @Test
    void serverSideDecoderRefusesAVersionSetter() {
        assertThatThrownBy(() -> serverDecoder().version(MqttVersion.V5)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keepsUserPropertiesInWireOrderWithDuplicates() {
        byte[] puback = CodecFixtures.frame(0x40, "0001 00 15",
                "26 0001 61 0001 31", "26 0001 62 0001 32", "26 0001 61 0001 33");

        List<MqttPacket> packets = decode(clientDecoder(MqttVersion.V5), puback);

        assertThat(((Puback) packets.get(0)).userProperties()).containsExactly(new UserProperty("a", "1"),
                new UserProperty("b", "2"), new UserProperty("a", "3"));
    }

    @Test
    void decodesMultiByteUtf8Strings() {
        String topic = "δ/温度/🌡";
        byte[] publish = CodecFixtures.frame(0x30, CodecFixtures.utf8(topic));

        List<MqttPacket> packets = decode(clientDecoder(MqttVersion.V3_1_1), publish);

        assertThat(((Publish) packets.get(0)).topic()).isEqualTo(topic);
    }

    private static void assertSingle(List<MqttPacket> packets, MqttPacket expected) {
        assertThat(packets).singleElement().usingRecursiveComparison().withStrictTypeChecking().isEqualTo(expected);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
