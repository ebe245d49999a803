package io.portcullis.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Decodes MQTT UTF-8 Encoded Strings and refuses what the standard forbids: ill-formed UTF-8
 * (overlong forms, surrogate code points U+D800..U+DFFF, code points past U+10FFFF, truncated or
 * stray continuation bytes) [MQTT-1.5.4-1] and U+0000 [MQTT-1.5.4-2]. The JDK decoders replace bad
 * input with U+FFFD instead of failing, so this does the work itself. Stateless and thread-safe.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /**
     * Decodes {@code length} bytes at {@code index} without moving the reader index.
     *
     * @param field what the string is, for the failure reason (the bytes themselves are never quoted)
     */
    static String decode(ByteBuf buffer, int index, int length, String field) throws MalformedPacketException {
        int end = index + length;
        int firstNonAscii = index;
        while (firstNonAscii < end && buffer.getByte(firstNonAscii) > 0) {
            firstNonAscii++;
        }
        if (firstNonAscii == end) {
            return buffer.toString(index, length, StandardCharsets.US_ASCII);
        }

        // UTF-16 never needs more units than UTF-8 has bytes.
        char[] chars = new char[length];
        int count = 0;
        int i = index;
        while (i < end) {
            int lead = buffer.getUnsignedByte(i);
            if (lead == 0) {
                throw MalformedPacketException.malformed(field + " contains the character U+0000");
            }
            if (lead < 0x80) {
                chars[count++] = (char) lead;
                i++;
                continue;
            }

            int continuationBytes;
            int codePoint;
            int smallest;
            if (lead >= 0xC2 && lead <= 0xDF) {
                continuationBytes = 1;
                codePoint = lead & 0x1F;
                smallest = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuationBytes = 2;
                codePoint = lead & 0x0F;
                smallest = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuationBytes = 3;
                codePoint = lead & 0x07;
                smallest = 0x10000;
            } else {
                // 0x80..0xBF are continuation bytes without a lead, 0xC0/0xC1 only start overlong forms,
                // 0xF5..0xFF would encode past U+10FFFF.
                throw illFormed(field);
            }
            if (i + continuationBytes >= end) {
                throw illFormed(field);
            }
            for (int k = 1; k <= continuationBytes; k++) {
                int next = buffer.getUnsignedByte(i + k);
                if ((next & 0xC0) != 0x80) {
                    throw illFormed(field);
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
            }
            if (codePoint < smallest || codePoint > Character.MAX_CODE_POINT
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                throw illFormed(field);
            }

            if (codePoint < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                chars[count++] = (char) codePoint;
            } else {
                chars[count++] = Character.highSurrogate(codePoint);
                chars[count++] = Character.lowSurrogate(codePoint);
            }
            i += continuationBytes + 1;
        }
        return new String(chars, 0, count);
    }

    private static MalformedPacketException illFormed(String field) {
        return MalformedPacketException.malformed(field + " is not well-formed UTF-8");
    }
}
