package io.portcullis.authorization;

import io.portcullis.registry.Client;

import java.util.Objects;

/**
 * A parsed client group query (SPEC 3.2) that decides whether a client belongs to a group.
 * Immutable and thread-safe.
 *
 * <p>Semantics, where the SPEC leaves a choice:
 * <ul>
 * <li>Keywords ({@code and}, {@code or}, {@code in}) and the operand names {@code authenticationName}
 *     and {@code attributes.} are case-insensitive; {@code and} binds tighter than {@code or}.</li>
 * <li>{@code authenticationName} compares case-insensitively (SPEC 2.2) and accepts only
 *     {@code =}, {@code !=}/{@code <>} and {@code IN}.</li>
 * <li>Attribute keys are looked up exactly as written. String equality on attributes is
 *     case-sensitive.</li>
 * <li>Against an array attribute, {@code =} and {@code IN} mean "contains" and {@code !=} means
 *     "does not contain".</li>
 * <li>A missing attribute makes every comparison false, {@code !=} included. So does a type
 *     mismatch (a string literal against an integer attribute, or the reverse).</li>
 * <li>Ordering operators ({@code < > <= >=}) compare integers only: with a string literal the query
 *     does not parse; against a string or array attribute the comparison is false.</li>
 * <li>Strings are quoted with {@code '} or {@code "}; the quote character doubled stands for itself.</li>
 * </ul>
 */
public final class GroupQuery {
    private final String source;
    private final QueryExpression expression;

    private GroupQuery(String source, QueryExpression expression) {
        this.source = source;
        this.expression = expression;
    }

    /**
     * Parses a query.
     *
     * @throws QueryParseException with the 0-based position and what was expected, when it does not parse
     */
    public static GroupQuery parse(String query) {
        Objects.requireNonNull(query, "query");
        return new GroupQuery(query, QueryParser.parse(query));
    }

    /** Whether the client satisfies the query. */
    public boolean matches(Client client) {
        return expression.matches(client);
    }

    /** The query as written. */
    public String source() {
        return source;
    }

    /** A fully parenthesised rendering of the parsed query, showing how it was grouped. */
    String describe() {
        return expression.describe();
    }

    @Override
    public String toString() {
        return source;
    }
}
