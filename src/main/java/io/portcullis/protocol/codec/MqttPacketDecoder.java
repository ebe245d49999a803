package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of one connection into {@link MqttPacket} values, for MQTT 3.1.1 and 5.0. It reads the
 * fixed header first, refuses a packet larger than the maximum packet size as soon as its Remaining
 * Length is known, and waits for the rest only when it fits. Any violation of the standard becomes
 * exactly one {@link MalformedPacket} with the MQTT 5 reason code; after it the decoder discards all
 * input, so the protocol handler answers once and closes. The decoder never throws out of
 * {@code decode}.
 *
 * <p>Server side (the broker) it insists on CONNECT first [MQTT-3.1.0-1], takes the protocol version
 * from that CONNECT, and refuses packets only a server sends. Client side (tests, raw test clients) it
 * decodes every packet type in the version set with {@link #version(MqttVersion)} or taken from a
 * decoded CONNECT. One instance per connection; confined to the connection's event loop.
 */
public final class MqttPacketDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MqttPacketDecoder.class);

    /** The largest packet MQTT can frame: a 1-byte header, a 4-byte Remaining Length and its maximum value. */
    public static final int PROTOCOL_MAXIMUM_PACKET_SIZE = 1 + 4 + PacketReader.MAXIMUM_VARIABLE_BYTE_INTEGER;

    private final int maximumPacketSize;
    private final boolean serverSide;
    private MqttVersion version;
    private boolean failed;

    /**
     * @param maximumPacketSize the largest whole packet (fixed header included) accepted, in bytes
     * @param serverSide        {@code true} for the broker's side of a connection
     */
    public MqttPacketDecoder(int maximumPacketSize, boolean serverSide) {
        if (maximumPacketSize < 2) {
            throw new IllegalArgumentException("maximumPacketSize must be at least 2, was " + maximumPacketSize);
        }
        this.maximumPacketSize = maximumPacketSize;
        this.serverSide = serverSide;
    }

    /** The version fixed by the first CONNECT (or the setter), {@code null} before. */
    public MqttVersion version() {
        return version;
    }

    /**
     * Fixes the version a client-side decoder reads packets in; a server-side decoder learns it from the
     * CONNECT instead.
     */
    public void version(MqttVersion version) {
        if (serverSide) {
            throw new IllegalStateException("a server-side decoder takes its version from the CONNECT");
        }
        this.version = Objects.requireNonNull(version, "version");
    }

    /** Whether a MalformedPacket was emitted, after which all input is discarded. */
    public boolean hasFailed() {
        return failed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }

        int start = in.readerIndex();
        int headerByte = in.getUnsignedByte(start);
        PacketType type = PacketType.of(headerByte >>> 4);
        MalformedPacket headerProblem = checkHeaderByte(type, headerByte & 0x0F);
        if (headerProblem != null) {
            fail(in, out, headerProblem);
            return;
        }

        // Remaining Length: a Variable Byte Integer of at most four bytes (section 2.1.4).
        int remainingLength = 0;
        int lengthBytes = 0;
        int next;
        do {
            if (lengthBytes == 4) {
                fail(in, out, new MalformedPacket(version, type, ReasonCode.MALFORMED_PACKET,
                        "Remaining Length is longer than 4 bytes"));
                return;
            }
            if (in.readableBytes() < 2 + lengthBytes) {
                return;
            }
            next = in.getUnsignedByte(start + 1 + lengthBytes);
            remainingLength |= (next & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
        } while ((next & 0x80) != 0);
        // A last byte of 0 after a continuation adds nothing: the value fits in fewer bytes [MQTT-1.5.5-1].
        if (lengthBytes > 1 && next == 0) {
            fail(in, out, new MalformedPacket(version, type, ReasonCode.MALFORMED_PACKET,
                    "Remaining Length is not encoded in the fewest bytes"));
            return;
        }

        long packetSize = 1L + lengthBytes + remainingLength;
        if (packetSize > maximumPacketSize) {
            fail(in, out, new MalformedPacket(version, type, ReasonCode.PACKET_TOO_LARGE,
                    "packet of " + packetSize + " bytes exceeds the maximum packet size of " + maximumPacketSize));
            return;
        }
        if (in.readableBytes() < packetSize) {
            return;
        }

        PacketReader reader = new PacketReader(in.slice(start + 1 + lengthBytes, remainingLength));
        in.skipBytes((int) packetSize);
        MqttPacket packet;
        try {
            packet = decodeBody(type, headerByte & 0x0F, reader);
        } catch (MalformedPacketException e) {
            MqttVersion known = e.version() != null ? e.version() : version;
            fail(in, out, new MalformedPacket(known, type, e.reasonCode(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            // A bug here, not the peer's fault; the connection still gets one answer and a close.
            LOG.error("Decoder failed on a packet: type={} channel={}", type, ctx.channel(), e);
            fail(in, out, new MalformedPacket(version, type, ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                    type + " could not be decoded"));
            return;
        }
        if (reader.isReadable()) {
            MqttVersion known = packet instanceof Connect connect ? connect.version() : version;
            fail(in, out, new MalformedPacket(known, type, ReasonCode.MALFORMED_PACKET,
                    type + " has " + reader.remaining() + " unexpected byte(s) after its last field"));
            return;
        }

        if (packet instanceof Connect connect && version == null) {
            version = connect.version();
        }
        out.add(packet);
    }

    /** Checks what the first byte alone decides; returns the failure or {@code null}. */
    private MalformedPacket checkHeaderByte(PacketType type, int flags) {
        if (type == null) {
            return new MalformedPacket(version, null, ReasonCode.MALFORMED_PACKET, "packet type 0 is reserved");
        }
        if (serverSide && version == null && type != PacketType.CONNECT) {
            return new MalformedPacket(null, type, ReasonCode.PROTOCOL_ERROR,
                    "first packet is " + type + ", not CONNECT");
        }
        if (!serverSide && version == null && type != PacketType.CONNECT) {
            return new MalformedPacket(null, type, ReasonCode.PROTOCOL_ERROR,
                    type + " arrived before the protocol version was known");
        }
        if (serverSide && isServerToClientOnly(type)) {
            return new MalformedPacket(version, type, ReasonCode.PROTOCOL_ERROR, type + " is sent only by a server");
        }
        // Type 15 is reserved in MQTT 3.1.1 (section 2.2.1). A second CONNECT is judged by its own level later.
        if (type == PacketType.AUTH && version == MqttVersion.V3_1_1) {
            return new MalformedPacket(version, type, ReasonCode.MALFORMED_PACKET,
                    "packet type 15 is reserved in MQTT 3.1.1");
        }

        if (type == PacketType.PUBLISH) {
            // QoS 3 is malformed [MQTT-3.3.1-4]. DUP at QoS 0 [MQTT-3.3.1-2] breaks no parsing rule, only a
            // rule about values, which is what Protocol Error covers (section 4.13).
            int qos = (flags & 0x06) >>> 1;
            if (qos == 3) {
                return new MalformedPacket(version, type, ReasonCode.MALFORMED_PACKET, "PUBLISH QoS is 3");
            }
            if (qos == 0 && (flags & 0x08) != 0) {
                return new MalformedPacket(version, type, ReasonCode.PROTOCOL_ERROR, "PUBLISH DUP is set at QoS 0");
            }
            return null;
        }
        // Reserved flag bits must hold the listed value, otherwise the packet is malformed [MQTT-2.1.3-1].
        int expected = type == PacketType.PUBREL || type == PacketType.SUBSCRIBE || type == PacketType.UNSUBSCRIBE
                ? 0x02
                : 0x00;
        if (flags != expected) {
            return new MalformedPacket(version, type, ReasonCode.MALFORMED_PACKET,
                    type + " fixed header flags are " + Integer.toBinaryString(flags | 0x10).substring(1)
                            + ", must be " + Integer.toBinaryString(expected | 0x10).substring(1));
        }
        return null;
    }

    private static boolean isServerToClientOnly(PacketType type) {
        return type == PacketType.CONNACK || type == PacketType.SUBACK || type == PacketType.UNSUBACK
                || type == PacketType.PINGRESP;
    }

    private MqttPacket decodeBody(PacketType type, int flags, PacketReader reader) throws MalformedPacketException {
        return switch (type) {
            case CONNECT -> SessionPacketDecoding.decodeConnect(reader);
            case CONNACK -> SessionPacketDecoding.decodeConnack(reader, version);
            case PUBLISH -> PublishDecoding.decodePublish(reader, flags, version, serverSide);
            case PUBACK -> PublishDecoding.decodePuback(reader, version);
            case PUBREC -> PublishDecoding.decodePubrec(reader, version);
            case PUBREL -> PublishDecoding.decodePubrel(reader, version);
            case PUBCOMP -> PublishDecoding.decodePubcomp(reader, version);
            case SUBSCRIBE -> SubscriptionDecoding.decodeSubscribe(reader, version);
            case SUBACK -> SubscriptionDecoding.decodeSuback(reader, version);
            case UNSUBSCRIBE -> SubscriptionDecoding.decodeUnsubscribe(reader, version);
            case UNSUBACK -> SubscriptionDecoding.decodeUnsuback(reader, version);
            case PINGREQ -> decodeEmpty(reader, type, Pingreq.INSTANCE);
            case PINGRESP -> decodeEmpty(reader, type, Pingresp.INSTANCE);
            case DISCONNECT -> SessionPacketDecoding.decodeDisconnect(reader, version);
            case AUTH -> SessionPacketDecoding.decodeAuth(reader);
        };
    }

    private static MqttPacket decodeEmpty(PacketReader reader, PacketType type, MqttPacket packet)
            throws MalformedPacketException {
        if (reader.isReadable()) {
            throw MalformedPacketException.malformed(type + " has a non-zero remaining length");
        }
        return packet;
    }

    private void fail(ByteBuf in, List<Object> out, MalformedPacket malformed) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(malformed);
    }
}
