package io.portcullis.authorization;

import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;

import java.util.List;

/**
 * The parsed form of a client group query: a tree of {@code or}, {@code and}, comparisons and
 * {@code IN} lists, evaluated against a {@link Client}. Immutable; see {@link GroupQuery} for the
 * semantics it implements.
 */
sealed interface QueryExpression {

    boolean matches(Client client);

    /** A fully parenthesised rendering, used by tests to check precedence. */
    String describe();

    /** {@code a or b or ...}: true when any part is. */
    record AnyOf(List<QueryExpression> parts) implements QueryExpression {
        public AnyOf {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean matches(Client client) {
            for (QueryExpression part : parts) {
                if (part.matches(client)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            return join(parts, " or ");
        }
    }

    /** {@code a and b and ...}: true when every part is. */
    record AllOf(List<QueryExpression> parts) implements QueryExpression {
        public AllOf {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean matches(Client client) {
            for (QueryExpression part : parts) {
                if (!part.matches(client)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String describe() {
            return join(parts, " and ");
        }
    }

    /** {@code operand op literal}. */
    record Comparison(Operand operand, Operator operator, Literal literal) implements QueryExpression {

        @Override
        public boolean matches(Client client) {
            if (operand.isAuthenticationName()) {
                // The parser allows only = and != here; names compare case-insensitively (SPEC 2.2).
                if (literal.isInteger()) {
                    return false;
                }
                boolean equal = Registry.foldCase(client.authenticationName()).equals(literal.foldedText());
                return operator == Operator.EQUAL ? equal : !equal;
            }
            AttributeValue value = client.attributes().get(operand.attributeKey());
            if (value instanceof AttributeValue.Integer number) {
                return literal.isInteger() && operator.compare(number.value(), literal.integer());
            }
            if (literal.isInteger() || !(operator == Operator.EQUAL || operator == Operator.NOT_EQUAL)) {
                // Missing attribute, type mismatch, or an ordering operator on text: false.
                return false;
            }
            boolean equal;
            if (value instanceof AttributeValue.Text text) {
                equal = text.value().equals(literal.text());
            } else if (value instanceof AttributeValue.TextArray array) {
                // Against an array, = means "contains" and != means "does not contain" (SPEC 3.2).
                equal = array.values().contains(literal.text());
            } else {
                return false;
            }
            return operator == Operator.EQUAL ? equal : !equal;
        }

        @Override
        public String describe() {
            return "(" + operand.describe() + " " + operator.symbol() + " " + literal.describe() + ")";
        }
    }

    /** {@code operand IN [literal, ...]}: true when the value equals (or an array contains) any literal. */
    record Membership(Operand operand, List<Literal> literals) implements QueryExpression {
        public Membership {
            literals = List.copyOf(literals);
        }

        @Override
        public boolean matches(Client client) {
            if (operand.isAuthenticationName()) {
                String name = Registry.foldCase(client.authenticationName());
                for (Literal literal : literals) {
                    if (!literal.isInteger() && literal.foldedText().equals(name)) {
                        return true;
                    }
                }
                return false;
            }
            AttributeValue value = client.attributes().get(operand.attributeKey());
            for (Literal literal : literals) {
                if (literal.isInteger()) {
                    if (value instanceof AttributeValue.Integer number && number.value() == literal.integer()) {
                        return true;
                    }
                } else if (value instanceof AttributeValue.Text text && text.value().equals(literal.text())) {
                    return true;
                } else if (value instanceof AttributeValue.TextArray array
                        && array.values().contains(literal.text())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String describe() {
            StringBuilder out = new StringBuilder("(").append(operand.describe()).append(" IN [");
            for (int i = 0; i < literals.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(literals.get(i).describe());
            }
            return out.append("])").toString();
        }
    }

    /** What a comparison reads: the authentication name, or one attribute by its exact key. */
    record Operand(String attributeKey) {
        static final Operand AUTHENTICATION_NAME = new Operand(null);

        boolean isAuthenticationName() {
            return attributeKey == null;
        }

        String describe() {
            return isAuthenticationName() ? "authenticationName" : "attributes." + attributeKey;
        }
    }

    /** A string or integer literal; {@code foldedText} is the case-folded string for name comparisons. */
    record Literal(String text, String foldedText, long integer, boolean isInteger) {
        static Literal ofText(String text) {
            return new Literal(text, Registry.foldCase(text), 0, false);
        }

        static Literal ofInteger(long value) {
            return new Literal(null, null, value, true);
        }

        String describe() {
            return isInteger ? Long.toString(integer) : "'" + text.replace("'", "''") + "'";
        }
    }

    /** Comparison operators; {@code <>} is another spelling of {@code !=}. */
    enum Operator {
        EQUAL("="),
        NOT_EQUAL("!="),
        LESS("<"),
        GREATER(">"),
        LESS_OR_EQUAL("<="),
        GREATER_OR_EQUAL(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        String symbol() {
            return symbol;
        }

        boolean isOrdering() {
            return this != EQUAL && this != NOT_EQUAL;
        }

        boolean compare(long left, long right) {
            return switch (this) {
                case EQUAL -> left == right;
                case NOT_EQUAL -> left != right;
                case LESS -> left < right;
                case GREATER -> left > right;
                case LESS_OR_EQUAL -> left <= right;
                case GREATER_OR_EQUAL -> left >= right;
            };
        }

        static Operator fromSymbol(String symbol) {
            return switch (symbol) {
                case "=" -> EQUAL;
                case "!=", "<>" -> NOT_EQUAL;
                case "<" -> LESS;
                case ">" -> GREATER;
                case "<=" -> LESS_OR_EQUAL;
                case ">=" -> GREATER_OR_EQUAL;
                default -> throw new IllegalArgumentException("not an operator: " + symbol);
            };
        }
    }

    private static String join(List<QueryExpression> parts, String separator) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < parts.size(); i++) {
            out.append(i == 0 ? "" : separator).append(parts.get(i).describe());
        }
        return out.append(")").toString();
    }
}
