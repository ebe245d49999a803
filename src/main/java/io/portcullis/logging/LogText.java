package io.portcullis.logging;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Makes a value that a peer chose (an MQTT packet field, a certificate field, a part of an HTTP request)
 * safe to put into a log line, so that a device cannot start a forged line, hide text from a terminal or
 * make {@code grep} treat the log as binary. Control characters (C0, DEL, C1), the Unicode line and
 * paragraph separators and the invisible format characters ({@link #isUnprintable}) become {@code \n}, {@code \r},
 * {@code \t}, {@code \xNN} (up to U+00FF) or a backslash, {@code u} and four hex digits; the backslash and
 * the double quote are escaped too, so a value cannot close the quotes it is put in nor be mistaken for an
 * escape. {@link #safe} is for a value inside quotes ({@code reason="..."}); {@link #token} is for a bare
 * field ({@code clientId=...}) and escapes the space too, so that a value cannot add a forged field after it.
 * Stateless and thread-safe.
 */
public final class LogText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LogText() {
    }

    /**
     * The value as text for a log field: {@code null} stays {@code null} (SLF4J prints it as the word),
     * text without anything to escape is returned as it is.
     */
    public static String safe(Object value) {
        return escape(value, false);
    }

    /**
     * Like {@link #safe}, and the space becomes {@code \x20}, for a field written without quotes: a ClientId
     * {@code x authName=admin} must not read as a second {@code authName} field. The other Unicode space
     * separators (no-break space, ideographic space and the like) are escaped as well, since a reader cannot
     * tell them from a space. The {@code =} stays: without a space before it, it cannot start a field.
     */
    public static String token(Object value) {
        return escape(value, true);
    }

    /**
     * The values for an SLF4J {@code pattern}, each escaped by where its {@code {}} stands: inside double quotes
     * with {@link #safe}, bare with {@link #token}. A bare collection becomes its elements, each a token, joined
     * by commas in brackets ({@code [a,b]}); a trailing Throwable is passed on as SLF4J's stack trace argument.
     */
    public static Object[] fields(String pattern, Object... values) {
        Object[] out = new Object[values.length];
        int next = 0;
        boolean isQuoted = false;
        for (int i = 0; i < pattern.length() && next < values.length; i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++; // an escaped quote or placeholder is text
            } else if (c == '"') {
                isQuoted = !isQuoted;
            } else if (c == '{' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '}') {
                out[next] = field(values[next], isQuoted);
                next++;
                i++;
            }
        }
        for (; next < values.length; next++) {
            out[next] = field(values[next], true);
        }
        return out;
    }

    private static Object field(Object value, boolean isQuoted) {
        if (value instanceof Throwable) {
            return value;
        }
        if (isQuoted) {
            return safe(value);
        }
        if (value instanceof Collection<?> elements) {
            return elements.stream().map(LogText::token).collect(Collectors.joining(",", "[", "]"));
        }
        return token(value);
    }

    private static String escape(Object value, boolean isBare) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        int first = 0;
        while (first < text.length() && !needsEscape(text.charAt(first), isBare)) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            append(out, text.charAt(i), isBare);
        }
        return out.toString();
    }

    private static boolean needsEscape(char c, boolean isBare) {
        return isBare && Character.isSpaceChar(c) || needsEscape(c);
    }

    private static boolean needsEscape(char c) {
        return c == '\\' || c == '"' || isUnprintable(c);
    }

    /**
     * Whether a character must not reach a terminal as it is: a control character (C0, DEL, C1), the line or
     * paragraph separator, or an invisible format character (the bidirectional controls such as U+202E, which
     * reorder what is shown, zero-width characters, tag characters). The CLI escapes the same set.
     */
    public static boolean isUnprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Appends {@code c} as a backslash, {@code u} and four upper-case hex digits. */
    public static void appendUnicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    private static void append(StringBuilder out, char c, boolean isBare) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case '\\' -> out.append("\\\\");
            case '"' -> out.append("\\\"");
            default -> {
                if (c <= 0xFF && needsEscape(c, isBare)) {
                    out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                } else if (needsEscape(c, isBare)) {
                    appendUnicodeEscape(out, c);
                } else {
                    out.append(c);
                }
            }
        }
    }
}
