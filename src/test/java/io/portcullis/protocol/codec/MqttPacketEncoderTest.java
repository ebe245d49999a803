package io.portcullis.protocol.codec;

import static io.portcullis.protocol.codec.CodecFixtures.encode;
import static io.portcullis.protocol.codec.CodecFixtures.hex;
import static io.portcullis.protocol.codec.CodecFixtures.readOutbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MqttPacketEncoder}: exact bytes, MQTT 5 short forms, version handling and the shared PUBLISH payload. */
class MqttPacketEncoderTest {
    private static final MqttVersion V3 = MqttVersion.V3_1_1;
    private static final MqttVersion V5 = MqttVersion.V5;

    @Test
    void writesMqtt5AcknowledgementsInTheirShortForms() {
        assertThat(encode(new Puback(1, 0), V5)).isEqualTo(hex("40 02 0001"));
        assertThat(encode(new Pubrec(2, 0), V5)).isEqualTo(hex("50 02 0002"));
        assertThat(encode(new Pubrel(3, 0), V5)).isEqualTo(hex("62 02 0003"));
        assertThat(encode(new Pubcomp(4, 0), V5)).isEqualTo(hex("70 02 0004"));
        assertThat(encode(new Puback(5, 0x10), V5)).isEqualTo(hex("40 03 0005 10"));
        assertThat(encode(Disconnect.of(0, null), V5)).isEqualTo(hex("e0 00"));
        assertThat(encode(Disconnect.of(0x8E, null), V5)).isEqualTo(hex("e0 01 8e"));
    }

    @Test
    void writesReasonStringAndUserPropertiesOfAnAcknowledgement() {
        Puback puback = new Puback(5, 0x87, "no", List.of(new UserProperty("k", "v")));

        assertThat(encode(puback, V5)).isEqualTo(hex("40 10 0005 87 0c 1f 0002 6e6f 26 0001 6b 0001 76"));
    }

    @Test
    void dropsMqtt5FieldsForMqtt311() {
        assertThat(encode(new Puback(5, 0x87, "no", List.of(new UserProperty("k", "v"))), V3))
                .isEqualTo(hex("40 02 0005"));
        assertThat(encode(new Suback(1, List.of(0, 2, 0x87, 0x80), "partly", List.of()), V3))
                .isEqualTo(hex("90 06 0001 00 02 80 80"));
        assertThat(encode(new Unsuback(1, List.of(0x11), "none", List.of()), V3)).isEqualTo(hex("b0 02 0001"));
        assertThat(encode(Disconnect.of(0x8B, "bye"), V3)).isEqualTo(hex("e0 00"));
    }

    @Test
    void writesConnackAsMqtt311UntilAVersionIsSet() {
        assertThat(encode(Connack.of(false, ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION, "level 6"), null))
                .isEqualTo(hex("20 02 00 01"));
        assertThat(encode(Connack.of(true, 0, null), V5)).isEqualTo(hex("20 03 01 00 00"));
    }

    @Test
    void sendsThePublishPayloadAsAWrappedBufferSharedByEverySubscriber() {
        byte[] payload = "shared payload".getBytes(StandardCharsets.UTF_8);
        Publish publish = new Publish("t", 1, false, false, 7, payload, PublishProperties.NONE);

        List<ByteBuf> first = encodeToBuffers(publish, V5);
        List<ByteBuf> second = encodeToBuffers(publish, V3);

        try {
            assertThat(first).hasSize(2);
            assertThat(ByteBufUtil.getBytes(first.get(0))).isEqualTo(hex("32 14 0001 74 0007 00"));
            assertThat(first.get(1).hasArray()).isTrue();
            assertThat(first.get(1).array()).isSameAs(payload);
            assertThat(second.get(1).array()).isSameAs(payload);
            assertThat(ByteBufUtil.getBytes(second.get(0))).isEqualTo(hex("32 13 0001 74 0007"));
        } finally {
            first.forEach(ByteBuf::release);
            second.forEach(ByteBuf::release);
        }
    }

    @Test
    void sendsAPublishWithoutPayloadAsOneBuffer() {
        Publish publish = new Publish("t", 0, true, false, 0, new byte[0], PublishProperties.NONE);

        List<ByteBuf> buffers = encodeToBuffers(publish, V3);

        try {
            assertThat(buffers).hasSize(1);
            assertThat(ByteBufUtil.getBytes(buffers.get(0))).isEqualTo(hex("31 03 0001 74"));
        } finally {
            buffers.forEach(ByteBuf::release);
        }
    }

    @Test
    void countsTheEncodedSizeWithAMultiByteRemainingLength() {
        Publish publish = new Publish("t", 0, false, false, 0, new byte[20_000], PublishProperties.NONE);

        // 1 header byte, 3 bytes of Remaining Length (20,004), topic (3), property length (1), payload.
        assertThat(MqttPacketEncoder.encodedSize(publish, V5)).isEqualTo(1 + 3 + 3 + 1 + 20_000);
        assertThat(encode(publish, V5)).hasSize(1 + 3 + 3 + 1 + 20_000);
        assertThat(MqttPacketEncoder.encodedSize(publish, V3)).isEqualTo(1 + 3 + 3 + 20_000);
    }

    @Test
    void writesAConnectInItsOwnVersion() {
        Connect connect = new Connect(V5, "c", true, 60, null, null, null, 0, Connect.DEFAULT_RECEIVE_MAXIMUM,
                Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null, null);

        assertThat(encode(connect, V3)).isEqualTo(hex("10 0e 0004 4d515454 05 02 003c 00 0001 63"));
    }

    @Test
    void refusesPacketsThatCannotBeEncoded() {
        Auth auth = new Auth(0x18, "m", null, null, List.of());
        MalformedPacket malformed = new MalformedPacket(V5, PacketType.PUBLISH, 0x81, "bad");

        assertThatThrownBy(() -> MqttPacketEncoder.encodedSize(auth, V3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttPacketEncoder.encodedSize(malformed, V5))
                .isInstanceOf(IllegalArgumentException.class);
        EmbeddedChannel channel = new EmbeddedChannel(new MqttPacketEncoder());
        assertThatThrownBy(() -> channel.writeOutbound(auth)).isInstanceOf(EncoderException.class);
        assertThatThrownBy(() -> channel.writeOutbound(new Publish("t".repeat(70_000), 0, false, false, 0,
                new byte[0], PublishProperties.NONE))).isInstanceOf(EncoderException.class);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static List<ByteBuf> encodeToBuffers(MqttPacket packet, MqttVersion version) {
        MqttPacketEncoder encoder = new MqttPacketEncoder();
        encoder.version(version);
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(packet);
        List<ByteBuf> buffers = readOutbound(channel);
        channel.finishAndReleaseAll();
        return buffers;
    }
}
