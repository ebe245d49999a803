package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A successful (2xx) admin API answer.
 *
 * @param status the HTTP status
 * @param etag   the {@code ETag} header, quotes included, or null
 * @param body   the JSON body; a missing node when the answer had none (204)
 */
record ApiResponse(int status, String etag, JsonNode body) {
    ApiResponse {
        Objects.requireNonNull(body, "body");
    }
}
