package io.portcullis.authorization;

import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;

/**
 * A variable of a topic template: {@code ${client.authenticationName}} when {@code attributeKey} is
 * {@code null}, else {@code ${client.attributes.<attributeKey>}}. Resolving it for a client yields
 * the text to substitute, or the reason it cannot be substituted (SPEC 3.3).
 */
record TemplateVariable(String attributeKey) {
    static final TemplateVariable AUTHENTICATION_NAME = new TemplateVariable(null);
    static final String AUTHENTICATION_NAME_TEXT = "client.authenticationName";
    static final String ATTRIBUTE_PREFIX = "client.attributes.";

    /** The variable name as written between {@code ${} and {@code }}. */
    String name() {
        return attributeKey == null ? AUTHENTICATION_NAME_TEXT : ATTRIBUTE_PREFIX + attributeKey;
    }

    /**
     * The value to substitute for this client, or a {@link Value} with a problem when the template
     * must grant nothing: a missing attribute, an array, or a value that is empty or contains
     * {@code +}, {@code #}, {@code /} or U+0000 and so could widen or reshape the filter.
     */
    Value resolve(Client client) {
        if (attributeKey == null) {
            // The registered casing is what templates use (SPEC 2.2).
            return check(client.authenticationName(), "the authentication name");
        }
        AttributeValue value = client.attributes().get(attributeKey);
        String what = "attribute '" + attributeKey + "'";
        if (value == null) {
            return Value.problem(what + " is missing");
        }
        if (value instanceof AttributeValue.Text text) {
            return check(text.value(), what);
        }
        if (value instanceof AttributeValue.Integer number) {
            return Value.of(Long.toString(number.value()));
        }
        return Value.problem(what + " is an array");
    }

    private static Value check(String text, String what) {
        if (text.isEmpty()) {
            return Value.problem(what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' || c == '#' || c == '/' || c == '\u0000') {
                return Value.problem(what + " contains " + (c == '\u0000' ? "U+0000" : "'" + c + "'"));
            }
        }
        return Value.of(text);
    }

    /** Either a value ({@code problem} null) or the reason there is none ({@code value} null). */
    record Value(String value, String problem) {
        static Value of(String value) {
            return new Value(value, null);
        }

        static Value problem(String problem) {
            return new Value(null, problem);
        }

        boolean isResolved() {
            return value != null;
        }
    }
}
