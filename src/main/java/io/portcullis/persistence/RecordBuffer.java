package io.portcullis.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array to encode a record into, and a cursor to decode one from, with unsigned
 * variable-length integers (seven bits a byte, low bits first) for lengths and counts. Single-threaded.
 */
final class RecordBuffer {
    private byte[] bytes;
    private int position;
    private final int limit;

    /** For writing. */
    RecordBuffer(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
        this.limit = Integer.MAX_VALUE;
    }

    /** For reading {@code data}. */
    RecordBuffer(byte[] data) {
        this.bytes = data;
        this.limit = data.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, position);
    }

    // ---------------------------------------------------------------- writing

    private void ensure(int more) {
        if (position + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
        }
    }

    RecordBuffer writeByte(int value) {
        ensure(1);
        bytes[position++] = (byte) value;
        return this;
    }

    RecordBuffer writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[position++] = (byte) (value >>> shift);
        }
        return this;
    }

    RecordBuffer writeVarLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        ensure(10);
        while (value >= 0x80) {
            bytes[position++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        bytes[position++] = (byte) value;
        return this;
    }

    RecordBuffer writeBytes(byte[] value) {
        writeVarLong(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, position, value.length);
        position += value.length;
        return this;
    }

    RecordBuffer writeRaw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, position, value.length);
        position += value.length;
        return this;
    }

    RecordBuffer writeString(String value) {
        return writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- reading

    private void need(int count) {
        if (count < 0 || position + count > limit) {
            throw new RecordFormatException("record ends early at byte " + position + " of " + limit);
        }
    }

    int readByte() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    long readLong() {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[position++] & 0xFF);
        }
        return value;
    }

    long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int next = readByte();
            value |= (long) (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new RecordFormatException("variable-length integer too long at byte " + position);
    }

    int readVarInt(int maximum) {
        long value = readVarLong();
        if (value > maximum) {
            throw new RecordFormatException("value " + value + " above " + maximum + " at byte " + position);
        }
        return (int) value;
    }

    byte[] readBytes() {
        int length = readVarInt(Integer.MAX_VALUE - 8);
        need(length);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** Fails unless every byte was read: trailing bytes mean a format this version does not know. */
    void expectEnd() {
        if (position != limit) {
            throw new RecordFormatException((limit - position) + " unexpected bytes at the end of the record");
        }
    }
}
