package io.portcullis.registry;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of the namespace model (SPEC 3.1–3.4) in one place, for the configuration loader
 * and the admin API. Each check returns what is wrong, phrased to follow the value's name, or empty
 * when the value is valid. Stateless and thread-safe.
 */
public final class NameRules {
    public static final int MAXIMUM_CLIENT_NAME_LENGTH = 128;
    public static final int MAXIMUM_AUTHENTICATION_NAME_LENGTH = 128;
    public static final int MINIMUM_RESOURCE_NAME_LENGTH = 3;
    public static final int MAXIMUM_RESOURCE_NAME_LENGTH = 50;
    /** Attributes must stay under 4 KB in all, measured by {@link #attributesSize}. */
    public static final int MAXIMUM_ATTRIBUTES_SIZE = 4096;
    public static final int MINIMUM_THUMBPRINTS = 1;
    public static final int MAXIMUM_THUMBPRINTS = 2;

    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9\\-:._]+");
    private static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z0-9\\-]+");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{64}");

    private NameRules() {
    }

    /** A client's resource name: 1–128 of letters, digits, {@code - : . _}; case-sensitive. */
    public static Optional<String> clientNameProblem(String name) {
        if (name.isEmpty() || name.length() > MAXIMUM_CLIENT_NAME_LENGTH) {
            return Optional.of("is " + name.length() + " characters long; client names are 1 to "
                    + MAXIMUM_CLIENT_NAME_LENGTH);
        }
        if (!CLIENT_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' contains characters other than letters, digits, '-', ':', '.', '_'");
        }
        return Optional.empty();
    }

    /** An authentication name: 1–128 Unicode characters, no U+0000 (which MQTT strings forbid). */
    public static Optional<String> authenticationNameProblem(String name) {
        int length = name.codePointCount(0, name.length());
        if (length == 0 || length > MAXIMUM_AUTHENTICATION_NAME_LENGTH) {
            return Optional.of("is " + length + " characters long; authentication names are 1 to "
                    + MAXIMUM_AUTHENTICATION_NAME_LENGTH);
        }
        if (name.indexOf('\u0000') >= 0) {
            return Optional.of("contains the character U+0000, which MQTT strings may not carry");
        }
        return Optional.empty();
    }

    /** The name of a CA certificate, client group, topic space or permission binding: 3–50 of letters, digits, -. */
    public static Optional<String> resourceNameProblem(String name) {
        if (name.length() < MINIMUM_RESOURCE_NAME_LENGTH || name.length() > MAXIMUM_RESOURCE_NAME_LENGTH) {
            return Optional.of("'" + name + "' is " + name.length() + " characters long; names are "
                    + MINIMUM_RESOURCE_NAME_LENGTH + " to " + MAXIMUM_RESOURCE_NAME_LENGTH);
        }
        if (!RESOURCE_NAME.matcher(name).matches()) {
            return Optional.of("'" + name + "' contains characters other than letters, digits and '-'");
        }
        return Optional.empty();
    }

    /** A SHA-256 thumbprint: 64 hexadecimal digits, either case. */
    public static Optional<String> thumbprintProblem(String thumbprint) {
        if (!THUMBPRINT.matcher(thumbprint).matches()) {
            return Optional.of("'" + thumbprint + "' is not 64 hexadecimal digits (a SHA-256 thumbprint)");
        }
        return Optional.empty();
    }

    /** An attribute key: letters, digits and {@code _}. */
    public static Optional<String> attributeKeyProblem(String key) {
        if (!ATTRIBUTE_KEY.matcher(key).matches()) {
            return Optional.of("key '" + key + "' contains characters other than letters, digits and '_'");
        }
        return Optional.empty();
    }

    /**
     * The size the 4 KB attribute limit is measured in: UTF-8 bytes of every key and string value,
     * plus 8 bytes per integer value.
     */
    public static int attributesSize(Map<String, AttributeValue> attributes) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> entry : attributes.entrySet()) {
            size += utf8Length(entry.getKey());
            if (entry.getValue() instanceof AttributeValue.Text text) {
                size += utf8Length(text.value());
            } else if (entry.getValue() instanceof AttributeValue.TextArray array) {
                for (String value : array.values()) {
                    size += utf8Length(value);
                }
            } else {
                size += Long.BYTES;
            }
        }
        return size;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
