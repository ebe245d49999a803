package io.portcullis.authorization;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a client group query into {@link QueryToken}s. Strings are quoted with {@code '} or
 * {@code "}; inside a string the quote character is written twice to stand for itself, and there
 * are no other escapes. Integers are decimal with an optional leading {@code -}.
 */
final class QueryTokenizer {
    private final String source;
    private int index;

    private QueryTokenizer(String source) {
        this.source = source;
    }

    static List<QueryToken> tokenize(String source) {
        return new QueryTokenizer(source).run();
    }

    private List<QueryToken> run() {
        List<QueryToken> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (index >= source.length()) {
                tokens.add(new QueryToken(QueryToken.Kind.END, "", 0, index));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipWhitespace() {
        while (index < source.length() && Character.isWhitespace(source.charAt(index))) {
            index++;
        }
    }

    private QueryToken next() {
        int start = index;
        char c = source.charAt(index);
        switch (c) {
            case '(':
                return single(QueryToken.Kind.LEFT_PARENTHESIS);
            case ')':
                return single(QueryToken.Kind.RIGHT_PARENTHESIS);
            case '[':
                return single(QueryToken.Kind.LEFT_BRACKET);
            case ']':
                return single(QueryToken.Kind.RIGHT_BRACKET);
            case ',':
                return single(QueryToken.Kind.COMMA);
            case '\'':
            case '"':
                return string(c);
            case '=':
                return operator(1);
            case '!':
                if (peek(1) == '=') {
                    return operator(2);
                }
                throw new QueryParseException(start + 1, "'=' after '!'", foundAt(start + 1));
            case '<':
                return operator(peek(1) == '=' || peek(1) == '>' ? 2 : 1);
            case '>':
                return operator(peek(1) == '=' ? 2 : 1);
            default:
                break;
        }
        if (c == '-' || isDigit(c)) {
            return integer();
        }
        if (isIdentifierStart(c)) {
            while (index < source.length() && isIdentifierPart(source.charAt(index))) {
                index++;
            }
            return new QueryToken(QueryToken.Kind.IDENTIFIER, source.substring(start, index), 0, start);
        }
        throw new QueryParseException(start, "an operand, operator, literal, parenthesis or bracket",
                quoteCharacter(c));
    }

    private QueryToken single(QueryToken.Kind kind) {
        int start = index++;
        return new QueryToken(kind, source.substring(start, index), 0, start);
    }

    private QueryToken operator(int length) {
        int start = index;
        index += length;
        return new QueryToken(QueryToken.Kind.OPERATOR, source.substring(start, index), 0, start);
    }

    private QueryToken string(char quote) {
        int start = index++;
        StringBuilder value = new StringBuilder();
        while (index < source.length()) {
            char c = source.charAt(index++);
            if (c != quote) {
                value.append(c);
            } else if (index < source.length() && source.charAt(index) == quote) {
                value.append(quote);
                index++;
            } else {
                return new QueryToken(QueryToken.Kind.STRING, value.toString(), 0, start);
            }
        }
        throw new QueryParseException(source.length(), "the closing " + quote + " of the string that starts at "
                + start, "the end of the query");
    }

    private QueryToken integer() {
        int start = index;
        if (source.charAt(index) == '-') {
            index++;
            if (index >= source.length() || !isDigit(source.charAt(index))) {
                throw new QueryParseException(index, "a digit after '-'", foundAt(index));
            }
        }
        while (index < source.length() && isDigit(source.charAt(index))) {
            index++;
        }
        if (index < source.length() && isIdentifierPart(source.charAt(index))) {
            throw new QueryParseException(index, "a digit or the end of the integer", foundAt(index));
        }
        String text = source.substring(start, index);
        try {
            return new QueryToken(QueryToken.Kind.INTEGER, text, Long.parseLong(text), start);
        } catch (NumberFormatException e) {
            throw new QueryParseException(start, "an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE,
                    "'" + text + "'");
        }
    }

    private char peek(int offset) {
        int at = index + offset;
        return at < source.length() ? source.charAt(at) : '\u0000';
    }

    private String foundAt(int at) {
        return at < source.length() ? quoteCharacter(source.charAt(at)) : "the end of the query";
    }

    private static String quoteCharacter(char c) {
        return Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    // '.' belongs to identifiers so that "attributes.floor" is one token; the parser splits it.
    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c) || c == '.';
    }
}
