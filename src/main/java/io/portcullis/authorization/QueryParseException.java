package io.portcullis.authorization;

/**
 * A client group query (SPEC 3.2) that does not parse. {@link #position()} is the 0-based index of
 * the character in the query where the problem was found; {@link #expected()} says what the parser
 * wanted there and {@link #found()} what it saw instead.
 */
public final class QueryParseException extends IllegalArgumentException {
    private final int position;
    private final String expected;
    private final String found;

    public QueryParseException(int position, String expected, String found) {
        super("query does not parse at position " + position + ": expected " + expected + ", found " + found);
        this.position = position;
        this.expected = expected;
        this.found = found;
    }

    /** The 0-based character index in the query where parsing failed. */
    public int position() {
        return position;
    }

    /** What the parser expected at {@link #position()}. */
    public String expected() {
        return expected;
    }

    /** What the parser found at {@link #position()}, quoted, or "the end of the query". */
    public String found() {
        return found;
    }
}
