package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds a client's {@code attributes} object from the command-line options. One design, documented in
 * {@code client create --help}:
 * <ul>
 * <li>{@code --attribute KEY=VALUE}: a whole number written the one way JSON writes it back ({@code 0},
 *     {@code 3}, {@code -12}: no {@code +}, no leading zeros, not {@code -0}) becomes an integer, anything else
 *     a string, so {@code 007} and {@code +5} keep their spelling; such a number outside the 64-bit range is a
 *     usage error, not a string;</li>
 * <li>{@code --attribute-string KEY=VALUE}: always a string, so {@code --attribute-string floor=3} is
 *     {@code "3"};</li>
 * <li>{@code --attribute-list KEY=A,B}: an array of strings, split on commas ({@code KEY=} is an empty
 *     array);</li>
 * <li>{@code --remove-attribute KEY} (update only): removes the attribute (null in the merge patch).</li>
 * </ul>
 * A key given twice is a usage error. Stateless.
 */
final class ClientAttributes {
    private static final Pattern CANONICAL_INTEGER = Pattern.compile("0|-?[1-9][0-9]*");

    private ClientAttributes() {
    }

    static ObjectNode build(List<String> typed, List<String> strings, List<String> lists, List<String> removed)
            throws AdminCommandException {
        ObjectNode attributes = Json.MAPPER.createObjectNode();
        for (String entry : typed) {
            String[] pair = split(entry, "--attribute");
            unique(attributes, pair[0]);
            if (CANONICAL_INTEGER.matcher(pair[1]).matches()) {
                attributes.put(pair[0], wholeNumber(pair[0], pair[1]));
            } else {
                attributes.put(pair[0], pair[1]);
            }
        }
        for (String entry : strings) {
            String[] pair = split(entry, "--attribute-string");
            unique(attributes, pair[0]);
            attributes.put(pair[0], pair[1]);
        }
        for (String entry : lists) {
            String[] pair = split(entry, "--attribute-list");
            unique(attributes, pair[0]);
            ArrayNode values = attributes.putArray(pair[0]);
            if (!pair[1].isEmpty()) {
                for (String value : pair[1].split(",", -1)) {
                    values.add(value);
                }
            }
        }
        for (String key : removed) {
            if (key.isBlank()) {
                throw ApiCommand.usage("--remove-attribute needs an attribute name");
            }
            unique(attributes, key);
            attributes.putNull(key);
        }
        return attributes;
    }

    private static long wholeNumber(String key, String value) throws AdminCommandException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiCommand.usage("--attribute " + key + "=" + value + ": the whole number is outside the integer"
                    + " range " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "; use --attribute-string " + key + "="
                    + value + " to store it as text");
        }
    }

    private static String[] split(String entry, String option) throws AdminCommandException {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
            throw ApiCommand.usage(option + " " + entry + ": write KEY=VALUE");
        }
        return new String[] {entry.substring(0, equals), entry.substring(equals + 1)};
    }

    private static void unique(ObjectNode attributes, String key) throws AdminCommandException {
        if (attributes.has(key)) {
            throw ApiCommand.usage("attribute '" + key + "' is given more than once");
        }
    }
}
