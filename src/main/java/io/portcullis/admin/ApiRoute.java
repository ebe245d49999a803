package io.portcullis.admin;

import io.portcullis.admin.http.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a request target goes: {@code /api/v1/{collection}/...} to the handler registered under the
 * collection, with every segment percent-decoded on its own (so {@code %2F} stays inside its segment), and
 * the top-level documents {@code /openapi.json} and {@code /metrics} to the handlers registered under those
 * keys with an empty path. Query parameters are decoded as in a form ({@code +} is a space). Every part must be
 * percent-encoded UTF-8 ({@link PercentEncoding}). Pure.
 *
 * @param handlerKey the key of the handler map: a collection name or a top-level path
 * @param path       the decoded segments below {@code /api/v1} (empty for top-level paths)
 * @param query      the decoded query parameters, each name with its values in the order sent
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
     * @throws ApiException 404 for a path outside the API, 400 for a segment, a parameter name or a parameter
     *                      value that is not valid percent-encoded UTF-8
     */
    static ApiRoute of(String target) {
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        Map<String, List<String>> query = question < 0 ? Map.of() : decodeQuery(target.substring(question + 1));
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

    /**
     * The route of a target that {@link #of} refuses, as far as it can be read: the handler key of its top-level
     * path or of its first segment below {@code /api/v1}, that segment alone as the path, no query. A refused
     * request still goes to that handler's audit rules (whether it is a change, the operation word); a target
     * whose handler cannot be told gets a key no handler has.
     */
    static ApiRoute handlerOnly(String target) {
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        if (TOP_LEVEL.contains(rawPath) || !rawPath.startsWith(PREFIX)) {
            return new ApiRoute(rawPath, List.of(), Map.of());
        }
        String first = rawPath.substring(PREFIX.length()).split("/", -1)[0];
        try {
            String collection = PercentEncoding.decode(first, false);
            return first.isEmpty() ? new ApiRoute(rawPath, List.of(), Map.of())
                    : new ApiRoute(collection, List.of(collection), Map.of());
        } catch (IllegalArgumentException e) {
            return new ApiRoute(rawPath, List.of(), Map.of());
        }
    }

    /** RFC 3986 percent-decoding of one path segment as UTF-8; {@code +} stays a plus sign. */
    static String decodeSegment(String raw) {
        try {
            return PercentEncoding.decode(raw, false);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "InvalidParameter", "Invalid path segment " + raw,
                    List.of(new ApiException.Detail("path", e.getMessage())));
        }
    }

    /**
     * The parameters of a raw query (the text after {@code ?}). They are separated by {@code &} or {@code ;}
     * (HTML 4.01, B.2.2; the API has always taken both), a name without {@code =} has an empty value, a part with
     * an empty name is left out, and a {@code #} ends the query.
     *
     * @throws ApiException 400 InvalidParameter naming the parameter whose value is not percent-encoded UTF-8, or
     *                      on {@code query} when a name is not
     */
    static Map<String, List<String>> decodeQuery(String rawQuery) {
        int hash = rawQuery.indexOf('#');
        String query = hash < 0 ? rawQuery : rawQuery.substring(0, hash);
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String part : query.split("[&;]")) {
            int equals = part.indexOf('=');
            String rawName = equals < 0 ? part : part.substring(0, equals);
            String name;
            try {
                name = PercentEncoding.decode(rawName, true);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "InvalidParameter", "Invalid query string",
                        List.of(new ApiException.Detail("query", "a parameter name: " + e.getMessage())));
            }
            if (name.isEmpty()) {
                continue;
            }
            String value;
            try {
                value = equals < 0 ? "" : PercentEncoding.decode(part.substring(equals + 1), true);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter(name, e.getMessage());
            }
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        parameters.replaceAll((name, values) -> List.copyOf(values));
        return parameters;
    }
}
