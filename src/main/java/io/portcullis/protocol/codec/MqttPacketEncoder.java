package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import java.util.Objects;

/**
 * Turns {@link MqttPacket} values into bytes for the connection's protocol version. Until the protocol
 * handler sets the version (when it accepts a CONNECT) packets are written as MQTT 3.1.1, which is how
 * a refusal of an unknown protocol level must be answered. A CONNECT is always written in its own
 * version. A PUBLISH leaves as two buffers: a small pooled one with the fixed header, topic, packet id
 * and properties, then the payload array wrapped without a copy, so every subscriber of a fan-out
 * shares the same payload bytes. One instance per connection; confined to the connection's event loop.
 */
public final class MqttPacketEncoder extends MessageToMessageEncoder<MqttPacket> {
    private MqttVersion version;

    public MqttPacketEncoder() {
        super(MqttPacket.class);
    }

    /** Sets the version to write in; the protocol handler calls it when it accepts a CONNECT. */
    public void version(MqttVersion version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    /** The version packets are written in: the one set, else MQTT 3.1.1. */
    public MqttVersion version() {
        return version == null ? MqttVersion.V3_1_1 : version;
    }

    /**
     * The number of bytes {@code packet} takes on the wire in {@code version}, fixed header included,
     * computed without encoding it; for honouring a peer's Maximum Packet Size.
     *
     * @throws IllegalArgumentException when the packet cannot be encoded (a MalformedPacket, AUTH in 3.1.1,
     *                                  a field too long)
     */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        checkEncodable(packet, version);
        PacketWriter counter = PacketWriter.counting();
        PacketBodyEncoding.write(counter, packet, effectiveVersion(packet, version), true);
        return 1 + PacketWriter.variableByteIntegerSize(counter.size()) + counter.size();
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MqttPacket packet, List<Object> out) {
        MqttVersion writeVersion = effectiveVersion(packet, version());
        checkEncodable(packet, writeVersion);

        boolean splitPayload = packet instanceof Publish publish && publish.payload().length > 0;
        PacketWriter counter = PacketWriter.counting();
        PacketBodyEncoding.write(counter, packet, writeVersion, !splitPayload);
        int headerBodySize = counter.size();
        int payloadSize = splitPayload ? ((Publish) packet).payload().length : 0;
        int remainingLength = headerBodySize + payloadSize;
        if (remainingLength > PacketReader.MAXIMUM_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException(
                    packet.type() + " of " + remainingLength + " bytes is too large for MQTT");
        }

        ByteBuf header = ctx.alloc().buffer(1 + PacketWriter.variableByteIntegerSize(remainingLength) + headerBodySize);
        try {
            PacketWriter writer = PacketWriter.into(header);
            writer.writeByte(PacketBodyEncoding.firstByte(packet));
            writer.writeVariableByteInteger(remainingLength);
            PacketBodyEncoding.write(writer, packet, writeVersion, !splitPayload);
        } catch (RuntimeException e) {
            header.release();
            throw e;
        }
        out.add(header);
        if (splitPayload) {
            out.add(Unpooled.wrappedBuffer(((Publish) packet).payload()));
        }
    }

    /** A CONNECT carries its own protocol level; everything else follows the connection. */
    private static MqttVersion effectiveVersion(MqttPacket packet, MqttVersion version) {
        return packet instanceof Connect connect ? connect.version() : version;
    }

    private static void checkEncodable(MqttPacket packet, MqttVersion version) {
        if (packet instanceof MalformedPacket) {
            throw new IllegalArgumentException("a MalformedPacket is a decoding result and cannot be encoded");
        }
        if (packet instanceof Auth && !version.isV5()) {
            throw new IllegalArgumentException("AUTH does not exist in MQTT 3.1.1");
        }
    }
}
