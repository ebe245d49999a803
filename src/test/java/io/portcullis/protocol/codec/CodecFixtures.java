package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Helpers for the codec tests: hex bytes, packet framing, and encoder and decoder runs on EmbeddedChannel. */
final class CodecFixtures {
    static final int LARGE_LIMIT = 1024 * 1024;

    private CodecFixtures() {
    }

    /** Bytes from hex pairs; spaces are ignored. */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A UTF-8 Encoded String field as hex: two-byte length, then the bytes. */
    static String utf8(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return String.format("%04x", bytes.length) + HexFormat.of().formatHex(bytes);
    }

    /** A whole packet: the first byte, the Remaining Length computed from the body, then the body parts. */
    static byte[] frame(int firstByte, String... bodyParts) {
        byte[] body = hex(String.join("", bodyParts));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = body.length;
        do {
            int next = length & 0x7F;
            length >>>= 7;
            out.write(length > 0 ? next | 0x80 : next);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A minimal valid CONNECT: clean start, keep alive 60, client id "c". */
    static byte[] connect(MqttVersion version) {
        return frame(0x10, utf8("MQTT"), String.format("%02x", version.level()), "02 003c",
                version.isV5() ? "00" : "", utf8("c"));
    }

    /** Encodes with a fresh encoder set to {@code version} ({@code null}: left unset). */
    static byte[] encode(MqttPacket packet, MqttVersion version) {
        MqttPacketEncoder encoder = new MqttPacketEncoder();
        if (version != null) {
            encoder.version(version);
        }
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        try {
            channel.writeOutbound(packet);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteBuf buffer : readOutbound(channel)) {
                out.writeBytes(ByteBufUtil.getBytes(buffer));
                buffer.release();
            }
            return out.toByteArray();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The buffers an encode produced, unreleased. */
    static List<ByteBuf> readOutbound(EmbeddedChannel channel) {
        List<ByteBuf> buffers = new ArrayList<>();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            buffers.add(buffer);
        }
        return buffers;
    }

    static MqttPacketDecoder serverDecoder() {
        return new MqttPacketDecoder(LARGE_LIMIT, true);
    }

    static MqttPacketDecoder clientDecoder(MqttVersion version) {
        MqttPacketDecoder decoder = new MqttPacketDecoder(LARGE_LIMIT, false);
        decoder.version(version);
        return decoder;
    }

    /** Feeds each chunk as one read and returns every packet decoded. */
    static List<MqttPacket> decode(MqttPacketDecoder decoder, byte[]... chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            for (byte[] chunk : chunks) {
                channel.writeInbound(Unpooled.wrappedBuffer(chunk));
            }
            List<MqttPacket> packets = new ArrayList<>();
            Object packet;
            while ((packet = channel.readInbound()) != null) {
                packets.add((MqttPacket) packet);
            }
            return packets;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Feeds the bytes one byte per read. */
    static List<MqttPacket> decodeByteByByte(MqttPacketDecoder decoder, byte[] bytes) {
        byte[][] chunks = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            chunks[i] = new byte[] {bytes[i]};
        }
        return decode(decoder, chunks);
    }
}
