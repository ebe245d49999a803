package io.portcullis.admin.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One admin API request after HTTP decoding: the method, the path below {@code /api/v1} as
 * percent-decoded segments (so {@code /api/v1/retainedMessages/a%2Fb} is {@code ["retainedMessages", "a/b"]}),
 * the query parameters, the headers a handler may need (lower-case names), the body and the caller.
 */
public record ApiRequest(String method, List<String> path, Map<String, List<String>> query,
                         Map<String, String> headers, byte[] body, AdminCaller caller) {

    public ApiRequest {
        Objects.requireNonNull(method, "method");
        path = List.copyOf(path);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        Objects.requireNonNull(caller, "caller");
    }

    /**
     * The value of a query parameter, which every parameter of the API takes once: given twice it is a 400, not a
     * silent choice of one (a {@code discard=false&discard=true} must not keep or drop a session by accident).
     */
    public Optional<String> parameter(String name) {
        List<String> values = query.get(name);
        if (values != null && values.size() > 1) {
            throw ApiException.invalidParameter(name, "give it once; it is given " + values.size() + " times");
        }
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A header by its lower-case name. */
    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }
}
