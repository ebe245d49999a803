package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes the MQTT data types into a buffer, or only counts the bytes they would take. Encoding runs
 * the same code once counting (to learn the Remaining Length and property lengths, which precede
 * what they measure) and once writing, so sizes and bytes cannot disagree. Single-threaded.
 */
final class PacketWriter {
    private static final int MAXIMUM_TWO_BYTE_LENGTH = 65_535;

    private final ByteBuf buffer;
    private int size;

    private PacketWriter(ByteBuf buffer) {
        this.buffer = buffer;
    }

    static PacketWriter counting() {
        return new PacketWriter(null);
    }

    static PacketWriter into(ByteBuf buffer) {
        return new PacketWriter(buffer);
    }

    /** Bytes counted or written so far. */
    int size() {
        return size;
    }

    void writeByte(int value) {
        size += 1;
        if (buffer != null) {
            buffer.writeByte(value);
        }
    }

    void writeTwoByteInteger(int value) {
        size += 2;
        if (buffer != null) {
            buffer.writeShort(value);
        }
    }

    void writeFourByteInteger(long value) {
        size += 4;
        if (buffer != null) {
            buffer.writeInt((int) value);
        }
    }

    void writeVariableByteInteger(int value) {
        if (value < 0 || value > PacketReader.MAXIMUM_VARIABLE_BYTE_INTEGER) {
            throw new IllegalArgumentException("value " + value + " does not fit a Variable Byte Integer");
        }
        int remaining = value;
        do {
            int next = remaining & 0x7F;
            remaining >>>= 7;
            writeByte(remaining > 0 ? next | 0x80 : next);
        } while (remaining > 0);
    }

    void writeString(String value) {
        int length = ByteBufUtil.utf8Bytes(value);
        checkLength(length);
        writeTwoByteInteger(length);
        size += length;
        if (buffer != null) {
            ByteBufUtil.reserveAndWriteUtf8(buffer, value, length);
        }
    }

    void writeBinary(byte[] value) {
        checkLength(value.length);
        writeTwoByteInteger(value.length);
        writeBytes(value);
    }

    /** Raw bytes without a length prefix (payloads). */
    void writeBytes(byte[] value) {
        size += value.length;
        if (buffer != null) {
            buffer.writeBytes(value);
        }
    }

    static int variableByteIntegerSize(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        return value < 2_097_152 ? 3 : 4;
    }

    private static void checkLength(int length) {
        if (length > MAXIMUM_TWO_BYTE_LENGTH) {
            throw new IllegalArgumentException("a string or binary field of " + length + " bytes exceeds 65,535");
        }
    }
}
