package io.portcullis.admin.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body as JSON for the handlers; every handler that takes a body reads it here. The body must
 * be exactly one JSON value: text after it is refused rather than ignored, since a client that sent two values
 * or a truncated concatenation did not mean the first alone. A member given twice in one object is refused
 * rather than letting the last one win, since the sender and the broker could then disagree about what was
 * asked. A string or member name holding a lone UTF-16 surrogate ({@code "\ud800"}) is refused too: it is not
 * Unicode text, and the store, which writes UTF-8, would silently turn it into {@code ?}. So is a body whose
 * bytes are not UTF-8 (RFC 8259, 8.1), checked before Jackson reads it so that the refusal is in our words
 * wherever the bad byte sits. Pure and thread-safe.
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
     * @throws ApiException 400 MalformedJson for an empty body, bytes that are not UTF-8 (target {@code body}),
     *                      text that is not JSON, text after the value, a duplicated member or a string or member
     *                      name that is not valid Unicode (the detail's target names the member, as
     *                      {@code properties.state}, or for a name the object holding it)
     */
    public static JsonNode read(byte[] body) {
        if (body.length == 0) {
            throw new ApiException(400, "MalformedJson", "The request has no body");
        }
        refuseInvalidUtf8(body);
        JsonNode value;
        try (JsonParser parser = JSON.createParser(body)) {
            value = JSON.readTree(parser);
            if (value == null || value.isMissingNode()) {
                throw new ApiException(400, "MalformedJson", "The request body holds no JSON value");
            }
            refuseTrailingText(parser);
        } catch (StreamReadException e) {
            String duplicate = duplicateMember(e);
            if (duplicate != null) {
                throw new ApiException(400, "MalformedJson", "The request body gives " + duplicate + " more than once",
                        List.of(new ApiException.Detail(duplicate, "give each member once")));
            }
            String holdingBrokenName = objectHoldingBrokenName(e);
            if (holdingBrokenName != null) {
                throw notUnicode(holdingBrokenName.isEmpty() ? "body" : holdingBrokenName, "a member name");
            }
            throw new ApiException(400, "MalformedJson", "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "MalformedJson", "The request body cannot be read as JSON");
        }
        refuseLoneSurrogates(value, "");
        return value;
    }

    /** The first byte that is not part of well-formed UTF-8 is refused, by its offset; the text is not echoed. */
    private static void refuseInvalidUtf8(byte[] body) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(1024);
        while (true) {
            CoderResult result = utf8.decode(in, out, true);
            if (result.isError()) {
                throw new ApiException(400, "MalformedJson", "The request body is not valid UTF-8",
                        List.of(new ApiException.Detail("body", String.format("the bytes from offset %d (0x%02X)"
                                + " are not UTF-8; send the body as UTF-8", in.position(),
                                body[in.position()] & 0xFF))));
            }
            if (result.isUnderflow()) {
                refuseNul(body);
                return;
            }
            out.clear();
        }
    }

    /**
     * A NUL byte is never part of JSON text in UTF-8 (outside strings it is no token, inside it must be escaped),
     * but every UTF-16 or UTF-32 JSON text has them: refusing them keeps Jackson from reading such a body in the
     * encoding it detects instead of UTF-8.
     */
    private static void refuseNul(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                throw new ApiException(400, "MalformedJson", "The request body is not valid UTF-8 JSON",
                        List.of(new ApiException.Detail("body", "the byte at offset " + i + " is NUL (0x00), which"
                                + " JSON text in UTF-8 never holds; send the body as UTF-8, not UTF-16 or UTF-32")));
            }
        }
    }

    /** After the one value only white space may follow; anything else, JSON or not, is refused. */
    private static void refuseTrailingText(JsonParser parser) throws IOException {
        JsonToken next;
        try {
            next = parser.nextToken();
        } catch (StreamReadException e) {
            next = JsonToken.NOT_AVAILABLE;
        }
        if (next != null) {
            throw new ApiException(400, "MalformedJson", "The request body has more text after its JSON value",
                    List.of(new ApiException.Detail("body", "send exactly one JSON value")));
        }
    }

    /** Walks the value; the first string or member name that is not well-formed UTF-16 is refused, named. */
    private static void refuseLoneSurrogates(JsonNode node, String path) {
        if (node.isTextual()) {
            if (!isUnicode(node.textValue())) {
                throw notUnicode(path.isEmpty() ? "body" : path, "the string");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseLoneSurrogates(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                String memberPath = path.isEmpty() ? member.getKey() : path + "." + member.getKey();
                if (!isUnicode(member.getKey())) {
                    throw notUnicode(path.isEmpty() ? "body" : path, "a member name");
                }
                refuseLoneSurrogates(member.getValue(), memberPath);
            }
        }
    }

    /** Whether every surrogate in {@code text} is half of a pair, so the text can be written as UTF-8. */
    static boolean isUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The refusal of text that is not Unicode. The target is the member holding it (for a bad member name, the
     * object holding that name); the bad text itself is not echoed, as it cannot be written as UTF-8.
     */
    private static ApiException notUnicode(String target, String what) {
        return new ApiException(400, "MalformedJson", "The request body is not valid Unicode: " + what + " at "
                + target + " holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)",
                List.of(new ApiException.Detail(target, "escape a character outside the Basic Multilingual Plane"
                        + " as a surrogate pair, or send it as UTF-8")));
    }

    /** The dotted path of the member a duplicate-detection failure is about, or {@code null} for other failures. */
    private static String duplicateMember(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        if (parser == null || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return null;
        }
        return pathOf(parser.getParsingContext());
    }

    /**
     * The dotted path of the object holding a member name with a lone surrogate escape ({@code ""} for the
     * top-level object), or {@code null} for other failures. Jackson refuses such a name itself, in its words
     * ("Broken surrogate pair in field name", "Unexpected low surrogate in field name"), while it reads it.
     */
    private static String objectHoldingBrokenName(StreamReadException e) {
        JsonParser parser = e.getProcessor();
        String message = e.getOriginalMessage();
        if (parser == null || message == null || !message.contains("surrogate")
                || !message.contains("field name")) {
            return null;
        }
        // The current context is the object whose name broke; its own current name is the member before.
        JsonStreamContext object = parser.getParsingContext();
        return object.inObject() ? pathOf(object.getParent()) : null;
    }

    /** The dotted path from the root to the current member or element of {@code innermost}. */
    private static String pathOf(JsonStreamContext innermost) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext context = innermost; context != null && !context.inRoot();
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
