package io.portcullis.admin.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads a request body as JSON for the handlers. A member given twice in one object is refused rather than
 * letting the last one win, since the sender and the broker could then disagree about what was asked. Pure
 * and thread-safe.
 */
public final class RequestJson {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RequestJson() {
    }

    /**
     * The body's JSON value.
     *
     * @throws ApiException 400 MalformedJson for an empty body, text that is not JSON, or a duplicated member
     *                      (the detail's target names it, as {@code properties.state})
     */
    public static JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "MalformedJson", "The request has no body");
        }
        try {
            JsonNode value = JSON.readTree(body);
            if (value == null || value.isMissingNode()) {
                throw new ApiException(400, "MalformedJson", "The request body holds no JSON value");
            }
            return value;
        } catch (StreamReadException e) {
            String duplicate = duplicateMember(e);
            if (duplicate != null) {
                throw new ApiException(400, "MalformedJson", "The request body gives " + duplicate + " more than once",
                        List.of(new ApiException.Detail(duplicate, "give each member once")));
            }
            throw new ApiException(400, "MalformedJson", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "MalformedJson", "The request body cannot be read as JSON");
        }
    }

    /** The dotted path of the member a duplicate-detection failure is about, or {@code null} for other failures. */
    private static String duplicateMember(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return null;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
             context = context.getParent()) {
            if (context.inObject() && context.getCurrentName() != null) {
                parts.addFirst("." + context.getCurrentName());
            } else if (context.inArray()) {
                parts.addFirst("[" + context.getCurrentIndex() + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
