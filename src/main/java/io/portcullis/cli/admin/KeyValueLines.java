package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Renders one resource as {@code key: value} lines for people. A registry resource's
 * {@code properties} are shown without the prefix; nested objects use dotted keys
 * ({@code clientCertificateAuthentication.validationScheme}); a list of plain values is joined with
 * ", "; a list of objects gives one line per element ({@code subscriptions[0]: topicFilter=a/# qos=1}).
 * Null and empty values show as {@code -}. A PEM certificate is not repeated; {@code -o json} shows
 * it. Stateless.
 */
final class KeyValueLines {
    private KeyValueLines() {
    }

    static List<String> of(JsonNode resource) {
        List<String> lines = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = resource.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("properties") && field.getValue().isObject()) {
                field.getValue().fields().forEachRemaining(p -> add(lines, p.getKey(), p.getValue()));
            } else {
                add(lines, field.getKey(), field.getValue());
            }
        }
        return lines;
    }

    private static void add(List<String> lines, String key, JsonNode value) {
        if (value.isObject() && value.size() > 0) {
            value.fields().forEachRemaining(f -> add(lines, key + "." + f.getKey(), f.getValue()));
        } else if (value.isArray() && containsObjects(value)) {
            for (int i = 0; i < value.size(); i++) {
                lines.add(Text.printable(key) + "[" + i + "]: " + inline(value.get(i)));
            }
        } else if (key.startsWith("attributes.") && value.isTextual() && value.asText().isEmpty()) {
            // An attribute may be the empty string, which is not the same as no attribute ("-").
            lines.add(Text.printable(key) + ": \"\"");
        } else if (key.equals("encodedCertificate") && value.isTextual()) {
            lines.add(key + ": (PEM certificate; -o json shows it)");
        } else {
            lines.add(Text.printable(key) + ": " + scalar(value));
        }
    }

    private static boolean containsObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    private static String inline(JsonNode element) {
        if (!element.isObject()) {
            return scalar(element);
        }
        StringJoiner parts = new StringJoiner(" ");
        element.fields().forEachRemaining(f -> parts.add(Text.printable(f.getKey()) + "="
                + (f.getValue().isContainerNode() ? Text.printable(Json.compact(f.getValue()))
                        : scalar(f.getValue()))));
        return parts.toString();
    }

    /** A cell or value text: strings as they are, lists joined, null and empty as "-". */
    static String scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                return "-";
            }
            StringJoiner joined = new StringJoiner(", ");
            value.forEach(element -> joined.add(scalar(element)));
            return joined.toString();
        }
        if (value.isObject()) {
            return value.isEmpty() ? "-" : Text.printable(Json.compact(value));
        }
        String text = value.asText();
        return text.isEmpty() ? "-" : Text.printable(text);
    }
}
