package io.portcullis.cli.admin;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds admin API paths: {@code /api/v1/{collection}/{name}} with the name percent-encoded as one
 * path segment (a retained topic's {@code /} becomes {@code %2F}), and query strings. Only RFC 3986
 * unreserved characters stay as they are, so {@code +}, {@code #} and spaces are always encoded.
 * Stateless.
 */
final class ApiPaths {
    static final String PREFIX = "/api/v1/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ApiPaths() {
    }

    static String collection(String collection) {
        return PREFIX + collection;
    }

    static String item(String collection, String name) {
        return PREFIX + collection + "/" + encode(name);
    }

    /** {@code path?key=value&...}, skipping null values, each key and value percent-encoded. */
    static String withQuery(String path, Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((key, value) -> {
            if (value != null) {
                query.add(encode(key) + "=" + encode(value));
            }
        });
        return query.length() == 0 ? path : path + "?" + query;
    }

    /** The query of a path as an ordered map (for building a list request). */
    static Map<String, String> parameters(Object... keysAndValues) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            parameters.put((String) keysAndValues[i], value == null ? null : value.toString());
        }
        return parameters;
    }

    /** Percent-encodes the UTF-8 bytes of everything except A-Z, a-z, 0-9, '-', '.', '_', '~'. */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0F]);
            }
        }
        return encoded.toString();
    }
}
