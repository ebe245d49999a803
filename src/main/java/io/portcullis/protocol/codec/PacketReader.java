package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;

/**
 * Reads the MQTT data types (section 1.5 of both standards) from one packet's body, and fails with
 * a Malformed Packet when a field runs past the end of the packet instead of throwing
 * {@link IndexOutOfBoundsException}. Wraps a slice of the decoder's cumulation; everything it
 * returns is copied out, so nothing outlives the slice. Used on the connection's event loop only.
 */
final class PacketReader {
    /** The largest value a four-byte Variable Byte Integer holds. */
    static final int MAXIMUM_VARIABLE_BYTE_INTEGER = 268_435_455;

    private final ByteBuf buffer;

    PacketReader(ByteBuf buffer) {
        this.buffer = buffer;
    }

    boolean isReadable() {
        return buffer.isReadable();
    }

    int remaining() {
        return buffer.readableBytes();
    }

    int readUnsignedByte(String field) throws MalformedPacketException {
        require(1, field);
        return buffer.readUnsignedByte();
    }

    int readUnsignedShort(String field) throws MalformedPacketException {
        require(2, field);
        return buffer.readUnsignedShort();
    }

    long readUnsignedInt(String field) throws MalformedPacketException {
        require(4, field);
        return buffer.readUnsignedInt();
    }

    /**
     * Reads a Variable Byte Integer; a fifth byte, or more bytes than the value needs, is malformed
     * (section 1.5.5, [MQTT-1.5.5-1]).
     */
    int readVariableByteInteger(String field) throws MalformedPacketException {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int next = readUnsignedByte(field);
            value |= (next & 0x7F) << shift;
            if ((next & 0x80) == 0) {
                if (shift > 0 && next == 0) {
                    throw MalformedPacketException.malformed(field + " is a Variable Byte Integer in more bytes"
                            + " than its value needs");
                }
                return value;
            }
        }
        throw MalformedPacketException.malformed(field + " is a Variable Byte Integer longer than 4 bytes");
    }

    /** Reads a UTF-8 Encoded String (two-byte length, then the bytes), validated strictly. */
    String readString(String field) throws MalformedPacketException {
        int length = readUnsignedShort(field + " length");
        require(length, field);
        String value = StrictUtf8.decode(buffer, buffer.readerIndex(), length, field);
        buffer.skipBytes(length);
        return value;
    }

    /** Reads Binary Data (two-byte length, then the bytes) into a new array. */
    byte[] readBinary(String field) throws MalformedPacketException {
        int length = readUnsignedShort(field + " length");
        require(length, field);
        byte[] value = new byte[length];
        buffer.readBytes(value);
        return value;
    }

    /** Copies everything left in the packet: the PUBLISH and Will payloads are not length-prefixed. */
    byte[] readRemaining() {
        byte[] value = new byte[buffer.readableBytes()];
        buffer.readBytes(value);
        return value;
    }

    /** A reader over the next {@code length} bytes, which this reader skips. */
    PacketReader readSection(int length, String field) throws MalformedPacketException {
        require(length, field);
        return new PacketReader(buffer.readSlice(length));
    }

    private void require(int length, String field) throws MalformedPacketException {
        if (buffer.readableBytes() < length) {
            throw MalformedPacketException.malformed("packet ends inside the " + field);
        }
    }
}
