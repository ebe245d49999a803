package io.portcullis.cli.admin;

import io.portcullis.logging.LogText;

/**
 * Makes text from the broker safe to print on a terminal: control characters (newlines, escape sequences),
 * the Unicode line and paragraph separators and the invisible format characters (the bidirectional controls
 * such as U+202E RIGHT-TO-LEFT OVERRIDE, zero-width characters, tag characters) in names, topics or messages
 * ({@link LogText#isUnprintable}) are shown as a backslash, {@code u} and four hex digits, as the broker's logs
 * show them, so a name a device chose cannot break a table, move the cursor or
 * reorder what is shown. A character beyond U+FFFF is shown as its two UTF-16 halves. Unlike the logs,
 * backslashes and quotes stay as they are: nothing here is put inside quotes. Stateless.
 */
final class Text {
    private Text() {
    }

    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (LogText.isUnprintable(codePoint)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                for (int j = i; j < next; j++) {
                    LogText.appendUnicodeEscape(out, text.charAt(j));
                }
            } else if (out != null) {
                out.append(text, i, next);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }
}
