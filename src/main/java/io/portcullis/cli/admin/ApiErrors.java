package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.cli.ExitCodes;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an admin API error answer into the exit code and the lines a person reads:
 * {@code error CODE: message}, then {@code   target: message} for each detail. Stateless.
 */
final class ApiErrors {
    private static final int MAX_TEXT = 300;

    private ApiErrors() {
    }

    /** The exit code for an HTTP status that is not 2xx. */
    static int exitCode(int status) {
        return switch (status) {
            case 404 -> ExitCodes.NOT_FOUND;
            case 409, 412 -> ExitCodes.CONFLICT;
            case 400, 413, 414, 415, 431 -> ExitCodes.REJECTED;
            default -> ExitCodes.API_ERROR;
        };
    }

    static AdminCommandException failure(int status, String method, String path, String body) {
        List<String> lines = new ArrayList<>();
        JsonNode error = parse(body).path("error");
        if (error.isObject() && error.path("code").isTextual()) {
            lines.add("error " + Text.printable(error.path("code").asText()) + ": "
                    + Text.printable(error.path("message").asText("")));
            for (JsonNode detail : error.path("details")) {
                lines.add("  " + Text.printable(detail.path("target").asText("")) + ": "
                        + Text.printable(detail.path("message").asText("")));
            }
        } else {
            // Not the API's error shape (a proxy, or a broker without the admin API on that path).
            String text = body == null ? "" : body.strip();
            int end = text.indexOf('\n');
            text = end < 0 ? text : text.substring(0, end);
            text = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
            lines.add("error HTTP " + status + ": " + method + " " + path + " answered "
                    + (text.isEmpty() ? "without an error body" : Text.printable(text)));
        }
        return new AdminCommandException(exitCode(status), lines);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return Json.MAPPER.missingNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? Json.MAPPER.missingNode() : node;
        } catch (Exception e) {
            return Json.MAPPER.missingNode();
        }
    }
}
