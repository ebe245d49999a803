package io.portcullis.admin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding (RFC 3986, 2.1) of one part of a request target, a path segment or a query parameter's
 * name or value, as UTF-8. Strict because a lenient decoder turns bytes that are not UTF-8 into U+FFFD, so that
 * {@code %FF} would silently mean the same as {@code %EF%BF%BD}; {@link ApiRoute} refuses such a part instead.
 * Pure.
 */
final class PercentEncoding {
    static final String NOT_HEX = "a '%' must be followed by two hex digits";
    static final String NOT_UTF8 = "the percent-encoded bytes are not UTF-8";
    static final String NOT_ASCII = "characters outside printable ASCII must be percent-encoded as UTF-8";

    private PercentEncoding() {
    }

    /**
     * The decoded text of {@code raw}.
     *
     * @param plusIsSpace whether {@code +} stands for a space, as in a query (form encoding), or for itself, as in
     *                    a path segment
     * @throws IllegalArgumentException whose message is the rule {@code raw} breaks: {@link #NOT_HEX},
     *                                  {@link #NOT_UTF8} or {@link #NOT_ASCII} (a request target is ASCII; raw
     *                                  bytes beyond it reach here one character per byte, as ISO-8859-1, and
     *                                  would otherwise become the wrong name)
     */
    static String decode(String raw, boolean plusIsSpace) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) < 0x21 || raw.charAt(i) > 0x7E) {
                throw new IllegalArgumentException(NOT_ASCII);
            }
        }
        if (raw.indexOf('%') < 0) {
            return plusIsSpace ? raw.replace('+', ' ') : raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            int c = raw.codePointAt(i);
            if (c == '+' && plusIsSpace) {
                bytes.write(' ');
                continue;
            }
            if (c != '%') {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            if (i + 2 >= raw.length() || hexValue(raw.charAt(i + 1)) < 0 || hexValue(raw.charAt(i + 2)) < 0) {
                throw new IllegalArgumentException(NOT_HEX);
            }
            bytes.write(hexValue(raw.charAt(i + 1)) * 16 + hexValue(raw.charAt(i + 2)));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(NOT_UTF8, e);
        }
    }

    /** An ASCII hex digit's value, or -1; {@link Character#digit} would also take digits of other scripts. */
    private static int hexValue(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
