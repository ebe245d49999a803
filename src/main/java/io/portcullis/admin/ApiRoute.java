package io.portcullis.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.portcullis.admin.http.ApiException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a request target goes: {@code /api/v1/{collection}/...} to the handler registered under the
 * collection, with every segment percent-decoded on its own (so {@code %2F} stays inside its segment), and
 * the top-level documents {@code /openapi.json} and {@code /metrics} to the handlers registered under those
 * keys with an empty path. Query parameters are decoded as in a form ({@code +} is a space). Pure.
 *
 * @param handlerKey the key of the handler map: a collection name or a top-level path
 * @param path       the decoded segments below {@code /api/v1} (empty for top-level paths)
 * @param query      the decoded query parameters
 */
record ApiRoute(String handlerKey, List<String> path, Map<String, List<String>> query) {
    static final String PREFIX = "/api/v1/";
    static final Set<String> TOP_LEVEL = Set.of("/openapi.json", "/metrics");

    ApiRoute {
        Objects.requireNonNull(handlerKey, "handlerKey");
        path = List.copyOf(path);
        query = Map.copyOf(query);
    }

    /**
     * Routes a request target such as {@code /api/v1/retainedMessages/a%2Fb?top=5}.
     *
     * @throws ApiException 404 for a path outside the API, 400 for a segment that is not valid
     *                      percent-encoded UTF-8
     */
    static ApiRoute of(String target) {
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        Map<String, List<String>> query;
        try {
            query = question < 0 ? Map.of()
                    : new QueryStringDecoder(target.substring(question), StandardCharsets.UTF_8, true).parameters();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "InvalidParameter", "Invalid query string",
                    List.of(new ApiException.Detail("query", "a '%' must be followed by two hex digits")));
        }
        if (TOP_LEVEL.contains(rawPath)) {
            return new ApiRoute(rawPath, List.of(), query);
        }
        if (!rawPath.startsWith(PREFIX)) {
            throw ApiException.notFound("The path " + rawPath);
        }
        String[] rawSegments = rawPath.substring(PREFIX.length()).split("/", -1);
        List<String> segments = new ArrayList<>(rawSegments.length);
        for (String raw : rawSegments) {
            if (raw.isEmpty()) {
                throw ApiException.notFound("The path " + rawPath);
            }
            segments.add(decodeSegment(raw));
        }
        return new ApiRoute(segments.get(0), segments, query);
    }

    /** RFC 3986 percent-decoding of one path segment as UTF-8; {@code +} stays a plus sign. */
    static String decodeSegment(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            int c = raw.codePointAt(i);
            if (c != '%') {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c) - 1;
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw invalidSegment(raw, "a '%' must be followed by two hex digits");
            }
            bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalidSegment(raw, "the percent-encoded bytes are not UTF-8");
        }
    }

    private static ApiException invalidSegment(String raw, String rule) {
        return new ApiException(400, "InvalidParameter", "Invalid path segment " + raw,
                List.of(new ApiException.Detail("path", rule)));
    }
}
