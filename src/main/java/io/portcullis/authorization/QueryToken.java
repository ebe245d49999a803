package io.portcullis.authorization;

/**
 * One lexical token of a client group query, with the 0-based position of its first character.
 * {@code text} is the source spelling, except for strings where it is the unquoted value.
 */
record QueryToken(Kind kind, String text, long integer, int position) {

    enum Kind {
        IDENTIFIER,
        STRING,
        INTEGER,
        OPERATOR,
        LEFT_PARENTHESIS,
        RIGHT_PARENTHESIS,
        LEFT_BRACKET,
        RIGHT_BRACKET,
        COMMA,
        END
    }

    boolean isKeyword(String keyword) {
        return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
    }

    /** How the token reads in an error message. */
    String describe() {
        return switch (kind) {
            case END -> "the end of the query";
            case STRING -> "the string '" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
