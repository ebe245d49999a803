package io.portcullis.authorization;

import io.portcullis.authorization.QueryExpression.Literal;
import io.portcullis.authorization.QueryExpression.Operand;
import io.portcullis.authorization.QueryExpression.Operator;
import io.portcullis.authorization.QueryToken.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the client group query grammar of SPEC 3.2:
 * <pre>
 * orExpr     := andExpr ( "or" andExpr )*
 * andExpr    := primary ( "and" primary )*
 * primary    := "(" orExpr ")" | comparison
 * comparison := operand op literal | operand "IN" "[" literal ( "," literal )* "]"
 * operand    := "authenticationName" | "attributes." key
 * </pre>
 * Keywords and the operand names are case-insensitive; attribute keys are kept as written.
 */
final class QueryParser {
    /** Deeper nesting than this is refused so that a hostile query cannot exhaust the stack. */
    static final int MAXIMUM_NESTING = 64;

    private static final String ATTRIBUTES_PREFIX = "attributes.";
    private static final String OPERAND = "'authenticationName', 'attributes.<key>' or '('";

    private final List<QueryToken> tokens;
    private int index;
    private int depth;

    private QueryParser(List<QueryToken> tokens) {
        this.tokens = tokens;
    }

    static QueryExpression parse(String query) {
        QueryParser parser = new QueryParser(QueryTokenizer.tokenize(query));
        QueryExpression expression = parser.orExpression();
        QueryToken last = parser.peek();
        if (last.kind() != Kind.END) {
            throw new QueryParseException(last.position(), "'and', 'or' or the end of the query", last.describe());
        }
        return expression;
    }

    private QueryExpression orExpression() {
        List<QueryExpression> parts = new ArrayList<>();
        parts.add(andExpression());
        while (peek().isKeyword("or")) {
            index++;
            parts.add(andExpression());
        }
        return parts.size() == 1 ? parts.get(0) : new QueryExpression.AnyOf(parts);
    }

    private QueryExpression andExpression() {
        List<QueryExpression> parts = new ArrayList<>();
        parts.add(primary());
        while (peek().isKeyword("and")) {
            index++;
            parts.add(primary());
        }
        return parts.size() == 1 ? parts.get(0) : new QueryExpression.AllOf(parts);
    }

    private QueryExpression primary() {
        QueryToken token = peek();
        if (token.kind() != Kind.LEFT_PARENTHESIS) {
            return comparison();
        }
        if (depth >= MAXIMUM_NESTING) {
            throw new QueryParseException(token.position(), "at most " + MAXIMUM_NESTING
                    + " nested parentheses", token.describe());
        }
        index++;
        depth++;
        QueryExpression inner = orExpression();
        depth--;
        expect(Kind.RIGHT_PARENTHESIS, "')' or 'and' or 'or'");
        return inner;
    }

    private QueryExpression comparison() {
        Operand operand = operand();
        QueryToken token = next();
        if (token.isKeyword("in")) {
            return membership(operand);
        }
        if (token.kind() != Kind.OPERATOR) {
            throw new QueryParseException(token.position(), "a comparison operator (=, !=, <>, <, >, <=, >=) or IN",
                    token.describe());
        }
        Operator operator = Operator.fromSymbol(token.text());
        if (operator.isOrdering() && operand.isAuthenticationName()) {
            throw new QueryParseException(token.position(), "=, !=, <> or IN (authenticationName is text; "
                    + "ordering operators compare integers only)", token.describe());
        }
        QueryToken literalToken = peek();
        Literal literal = literal();
        if (operator.isOrdering() && !literal.isInteger()) {
            throw new QueryParseException(literalToken.position(), "an integer (ordering operators compare "
                    + "integers only)", literalToken.describe());
        }
        return new QueryExpression.Comparison(operand, operator, literal);
    }

    private QueryExpression membership(Operand operand) {
        expect(Kind.LEFT_BRACKET, "'[' after IN");
        List<Literal> literals = new ArrayList<>();
        literals.add(literal());
        while (peek().kind() == Kind.COMMA) {
            index++;
            literals.add(literal());
        }
        expect(Kind.RIGHT_BRACKET, "',' or ']'");
        return new QueryExpression.Membership(operand, literals);
    }

    private Operand operand() {
        QueryToken token = next();
        if (token.kind() != Kind.IDENTIFIER || isKeyword(token)) {
            throw new QueryParseException(token.position(), OPERAND, token.describe());
        }
        String text = token.text();
        if (text.equalsIgnoreCase("authenticationName")) {
            return Operand.AUTHENTICATION_NAME;
        }
        if (!text.regionMatches(true, 0, ATTRIBUTES_PREFIX, 0, ATTRIBUTES_PREFIX.length())) {
            throw new QueryParseException(token.position(), OPERAND, token.describe());
        }
        String key = text.substring(ATTRIBUTES_PREFIX.length());
        int keyPosition = token.position() + ATTRIBUTES_PREFIX.length();
        if (key.isEmpty()) {
            throw new QueryParseException(keyPosition, "an attribute key after 'attributes.'",
                    keyPosition < token.position() + text.length() ? "'" + key + "'" : "nothing");
        }
        int dot = key.indexOf('.');
        if (dot >= 0) {
            throw new QueryParseException(keyPosition + dot, "an attribute key of letters, digits and '_'", "'.'");
        }
        return new Operand(key);
    }

    private Literal literal() {
        QueryToken token = next();
        return switch (token.kind()) {
            case STRING -> Literal.ofText(token.text());
            case INTEGER -> Literal.ofInteger(token.integer());
            default -> throw new QueryParseException(token.position(), "a literal: 'string', \"string\" or an integer",
                    token.describe());
        };
    }

    private static boolean isKeyword(QueryToken token) {
        return token.isKeyword("and") || token.isKeyword("or") || token.isKeyword("in");
    }

    private void expect(Kind kind, String expected) {
        QueryToken token = next();
        if (token.kind() != kind) {
            throw new QueryParseException(token.position(), expected, token.describe());
        }
    }

    private QueryToken peek() {
        return tokens.get(index);
    }

    private QueryToken next() {
        QueryToken token = tokens.get(index);
        if (token.kind() != Kind.END) {
            index++;
        }
        return token;
    }
}
