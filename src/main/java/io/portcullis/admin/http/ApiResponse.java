package io.portcullis.admin.http;

import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: a status, extra headers ({@code ETag}, {@code Location}), and a body that the
 * server writes as JSON ({@code json}, any value Jackson serializes; {@code null} for none) or, for
 * non-JSON answers such as {@code /metrics}, as {@code text} with its content type.
 */
public record ApiResponse(int status, Map<String, String> headers, Object json, String text, String contentType) {

    public ApiResponse {
        headers = Map.copyOf(headers);
        if (json != null && text != null) {
            throw new IllegalArgumentException("a response has a JSON body or a text body, not both");
        }
        if (text != null) {
            Objects.requireNonNull(contentType, "contentType");
        }
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of(), body, null, null);
    }

    public static ApiResponse json(int status, Object body, Map<String, String> headers) {
        return new ApiResponse(status, headers, body, null, null);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null, null, null);
    }

    public static ApiResponse text(int status, String text, String contentType) {
        return new ApiResponse(status, Map.of(), null, text, contentType);
    }
}
