package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.0 description of the whole admin API, read once from the class path
 * ({@value #RESOURCE} next to this class) and served as it is written. {@code OpenApiDocumentTest} keeps it in
 * step with docs/admin-api.md and with the handlers. Immutable; any worker thread.
 */
final class OpenApiHandler implements ApiHandler {
    static final String KEY = "/openapi.json";
    static final String RESOURCE = "openapi.json";

    private final String document;

    OpenApiHandler() {
        this.document = load();
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (!request.path().isEmpty()) {
            throw ApiException.notFound("Resource " + KEY + "/" + String.join("/", request.path()));
        }
        if (!request.method().equals("GET")) {
            throw ApiException.methodNotAllowed(request.method(), KEY, "GET");
        }
        return ApiResponse.text(200, document, "application/json; charset=utf-8");
    }

    /** The document's text; checked to be JSON so a broken build fails at start rather than at a client. */
    static String load() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The class path lacks " + RESOURCE + " beside "
                        + OpenApiHandler.class.getName());
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode parsed = new JsonMapper().readTree(text);
            if (!parsed.path("openapi").asText().startsWith("3.0")) {
                throw new IllegalStateException(RESOURCE + " is not an OpenAPI 3.0 document");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + RESOURCE + " failed", e);
        }
    }
}
