package io.portcullis.admin.http;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request the API refuses, answered as {@code {"error": {"code", "message", "details": [{"target",
 * "message"}]}}} with the status and any headers the refusal needs ({@code Allow} on a 405). docs/admin-api.md
 * "Errors" and the {@code Error} schema of openapi.json list the codes; {@link #CODES} is that list.
 */
public final class ApiException extends RuntimeException {
    /** Every error code the API answers with; a test keeps openapi.json's enum equal to it. */
    public static final Set<String> CODES = Set.of("ValidationFailed", "MalformedJson", "InvalidParameter",
            "NotFound", "MethodNotAllowed", "Conflict", "DeclaredInConfiguration", "PreconditionFailed",
            "PayloadTooLarge", "UriTooLong", "UnsupportedMediaType", "ExpectationFailed",
            "RequestHeaderFieldsTooLarge", "InternalError", "ServiceUnavailable");

    /** One failing field or parameter and the rule it breaks. */
    public record Detail(String target, String message) {
    }

    private final int status;
    private final String code;
    private final List<Detail> details;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message, List<Detail> details) {
        this(status, code, message, details, Map.of());
    }

    private ApiException(int status, String code, String message, List<Detail> details,
                         Map<String, String> headers) {
        super(message, null, false, false);
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("not an error code of the API: " + code);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "NotFound", what + " does not exist");
    }

    public static ApiException invalidParameter(String parameter, String rule) {
        return new ApiException(400, "InvalidParameter", "Invalid query parameter " + parameter,
                List.of(new Detail(parameter, rule)));
    }

    /** A request header this API does not take in the form sent ({@code If-Match}, {@code If-None-Match}). */
    public static ApiException invalidHeader(String header, String rule) {
        return new ApiException(400, "InvalidParameter", "Invalid header " + header,
                List.of(new Detail(header, rule)));
    }

    /**
     * A 405 with the {@code Allow} header RFC 9110 (15.5.6) requires.
     *
     * @param allowed the methods the resource takes; {@code HEAD} is added wherever {@code GET} is allowed
     */
    public static ApiException methodNotAllowed(String method, String path, String... allowed) {
        Set<String> methods = new LinkedHashSet<>(List.of(allowed));
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        String allow = String.join(", ", methods);
        return new ApiException(405, "MethodNotAllowed", method + " is not allowed on " + path + "; it takes "
                + allow, List.of(), Map.of("Allow", allow));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Detail> details() {
        return details;
    }

    /** Headers the answer carries besides the JSON body: {@code Allow} on a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
