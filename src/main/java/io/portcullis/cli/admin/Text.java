package io.portcullis.cli.admin;

/**
 * Makes text from the broker safe to print on a terminal: control characters (newlines, escape
 * sequences) in names, topics or messages are shown as a backslash, {@code u} and four hex digits,
 * so they cannot break a table or move the cursor. Stateless.
 */
final class Text {
    private Text() {
    }

    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
