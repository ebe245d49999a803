package io.portcullis.admin.ops;

import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;

import java.util.List;
import java.util.Objects;

/**
 * A collection the API lists, reads one item of and deletes items from, but never creates or changes:
 * {@code GET /api/v1/NAME}, {@code GET} and {@code DELETE /api/v1/NAME/{item}}. Routes the request and
 * answers 404 for deeper paths and 405 (with {@code Allow}) for other methods; the subclass answers the rest.
 */
abstract class ReadAndDeleteCollection implements ApiHandler {
    private final String path;
    private final String itemPath;

    /**
     * @param path     the collection's path, {@code /api/v1/NAME}
     * @param itemName what an item's path segment is, as the 405 answer names it ({@code topic})
     */
    ReadAndDeleteCollection(String path, String itemName) {
        this.path = Objects.requireNonNull(path, "path");
        this.itemPath = path + "/{" + Objects.requireNonNull(itemName, "itemName") + "}";
    }

    @Override
    public final ApiResponse handle(ApiRequest request) {
        List<String> segments = request.path();
        if (segments.size() == 1) {
            if (!request.method().equals("GET")) {
                throw ApiException.methodNotAllowed(request.method(), path, "GET");
            }
            return list(request);
        }
        if (segments.size() != 2) {
            throw ApiException.notFound("Resource " + path + "/"
                    + String.join("/", segments.subList(1, segments.size())));
        }
        String item = segments.get(1);
        return switch (request.method()) {
            case "GET" -> get(item);
            case "DELETE" -> delete(item, request);
            default -> throw ApiException.methodNotAllowed(request.method(), itemPath, "GET", "DELETE");
        };
    }

    /** {@code GET} on the collection: one page of items. */
    abstract ApiResponse list(ApiRequest request);

    /** {@code GET} on one item; 404 through {@link ApiException} when there is none. */
    abstract ApiResponse get(String item);

    /** {@code DELETE} on one item; 404 through {@link ApiException} when there is none. */
    abstract ApiResponse delete(String item, ApiRequest request);
}
