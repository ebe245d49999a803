package io.portcullis.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Answers one decoded admin API request: routes it ({@link ApiRoute}) to the handler registered for its
 * collection or top-level path, refuses a body that is not JSON, turns an {@link ApiException} into its
 * JSON error and any other failure into a 500 whose cause goes to the log only, and writes the audit line
 * of every change on logger {@code portcullis.audit} (who, what, which resource, the status; never a body).
 * Called on the admin worker threads; stateless apart from the handler map, so thread-safe.
 */
final class ApiDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("portcullis.audit");
    static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ApiHandler> handlers;

    ApiDispatcher(Map<String, ApiHandler> handlers) {
        this.handlers = Map.copyOf(Objects.requireNonNull(handlers, "handlers"));
    }

    /**
     * @param headers request headers by lower-case name
     * @param target  the request target as sent: path and query, still percent-encoded
     */
    ApiResponse dispatch(String method, String target, Map<String, String> headers, byte[] body,
                         AdminCaller caller) {
        return respond(method, target, headers, body, caller, null);
    }

    /**
     * Answers a request refused before any handler saw it (one the HTTP codec could not decode, a body over the
     * limit, every worker busy) with {@code refusal}, and audits it like a handled request when it asked for a
     * change.
     */
    ApiResponse refuse(String method, String target, Map<String, String> headers, AdminCaller caller,
                       ApiException refusal) {
        return respond(method, target, headers, new byte[0], caller, Objects.requireNonNull(refusal, "refusal"));
    }

    /**
     * The one path of every answered request, so that the audit line is written here and only here: a refusal
     * from the HTTP layer ({@code refusal}), from routing (a path or query that does not decode, a path outside
     * the API) or from the handler is audited alike when the request asked for a change.
     */
    private ApiResponse respond(String method, String target, Map<String, String> headers, byte[] body,
                                AdminCaller caller, ApiException refusal) {
        ApiRoute route;
        ApiException refused = refusal;
        try {
            route = ApiRoute.of(target);
        } catch (ApiException e) {
            route = ApiRoute.handlerOnly(target);
            refused = refusal == null ? e : refusal;
        }
        // An unknown collection still answers through a handler, so a change attempt on it is audited too.
        ApiHandler handler = handlers.getOrDefault(route.handlerKey(), notFound(route));
        ApiRequest request = new ApiRequest(method, route.path(), route.query(), headers, body, caller);
        ApiResponse response = refused == null ? answer(handler, request) : error(refused);
        if (handler.isChange(request)) {
            int query = target.indexOf('?');
            AUDIT.info("Admin change: subject=\"{}\" thumbprint={} operation={} resource={} status={}",
                    LogText.safe(caller.subject()), caller.thumbprint(),
                    LogText.token(handler.operation(request, response.status())),
                    LogText.token(query < 0 ? target : target.substring(0, query)), response.status());
        }
        return response;
    }

    /** The stand-in handler of a key no handler is registered under; its audit rules are the default ones. */
    private static ApiHandler notFound(ApiRoute route) {
        return request -> {
            throw ApiException.notFound(route.path().isEmpty() ? "The path " + route.handlerKey()
                    : "The collection " + route.handlerKey());
        };
    }

    private static ApiResponse answer(ApiHandler handler, ApiRequest request) {
        try {
            if (request.body().length > 0 && !isJson(request.header("content-type").orElse(""))) {
                throw new ApiException(415, "UnsupportedMediaType", "The request body must be JSON",
                        List.of(new ApiException.Detail("Content-Type",
                                "send application/json (PATCH also takes application/merge-patch+json), in"
                                        + " UTF-8: no charset, or charset=utf-8")));
            }
            return handler.handle(request);
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException e) {
            LOG.error("Admin API request failed: method={} path={} caller=\"{}\"", LogText.token(request.method()),
                    LogText.token(String.join("/", request.path())), LogText.safe(request.caller().subject()), e);
            return error(new ApiException(500, "InternalError", "The broker could not answer the request;"
                    + " its log says why"));
        }
    }

    /**
     * {@code application/json} or a {@code +json} type such as {@code application/merge-patch+json}, with no
     * {@code charset} or {@code charset=utf-8}: JSON text is UTF-8 (RFC 8259 8.1), and a body declared in another
     * charset would otherwise be read as UTF-8 all the same.
     */
    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || type.startsWith("application/")
                && type.endsWith("+json") && type.length() > "application/+json".length();
        for (int i = 1; i < parts.length && json; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                json = charset.equals("utf-8") || charset.equals("utf8");
            }
        }
        return json;
    }

    /** The JSON error body of docs/admin-api.md: {@code {"error": {"code", "message", "details"}}}. */
    static ApiResponse error(ApiException e) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", e.code()).put("message", e.getMessage());
        ArrayNode details = error.putArray("details");
        for (ApiException.Detail detail : e.details()) {
            details.addObject().put("target", detail.target()).put("message", detail.message());
        }
        return ApiResponse.json(e.status(), body, e.headers());
    }
}
