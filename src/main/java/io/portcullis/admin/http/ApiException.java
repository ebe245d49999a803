package io.portcullis.admin.http;

import java.util.List;
import java.util.Objects;

/**
 * A request the API refuses, answered as {@code {"error": {"code", "message", "details": [{"target",
 * "message"}]}}} with the status (docs/admin-api.md "Errors" lists the codes).
 */
public final class ApiException extends RuntimeException {

    /** One failing field or parameter and the rule it breaks. */
    public record Detail(String target, String message) {
    }

    private final int status;
    private final String code;
    private final List<Detail> details;

    public ApiException(int status, String code, String message, List<Detail> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.copyOf(details);
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

    public static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, "MethodNotAllowed", method + " is not allowed on " + path);
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
}
