package io.portcullis.admin;

import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.portcullis.admin.http.ApiException;

import java.util.List;

/**
 * The API's answer to a request Netty's HTTP codec could not decode, by the failure its decoder result carries:
 * a request line over the codec's limit is 414, a header section over it 431, a body over
 * {@link AdminServer#MAXIMUM_BODY_BYTES} 413, anything else (two {@code Content-Length} headers, a broken
 * request line) 400. A 400 whose cause is a known framing problem says which, in our words, with the header as
 * the detail's target; {@link AdminHttpHandler} answers and audits it like any refused request. Pure.
 */
final class UndecodableRequest {
    /** The limit on the request line (method, target and version): the codec's default, as AdminServer uses it. */
    static final int MAXIMUM_LINE_BYTES = HttpObjectDecoder.DEFAULT_MAX_INITIAL_LINE_LENGTH;
    /** The limit on the whole header section: the codec's default. */
    static final int MAXIMUM_HEADER_BYTES = HttpObjectDecoder.DEFAULT_MAX_HEADER_SIZE;

    private UndecodableRequest() {
    }

    /** The refusal for {@code cause}, the decoder result's failure. */
    static ApiException refusal(Throwable cause) {
        if (cause instanceof TooLongHttpContentException) {
            return AdminHttpHandler.BodyLimit.tooLarge();
        }
        // Netty reads the request line with its line parser (TooLongHttpLineException) and the headers with its
        // header parser (TooLongHttpHeaderException), so the type tells which part was too long.
        if (cause instanceof TooLongHttpLineException) {
            return new ApiException(414, "UriTooLong", "The request line is longer than " + MAXIMUM_LINE_BYTES
                    + " bytes", List.of(new ApiException.Detail("uri", "keep method, path and query under "
                    + MAXIMUM_LINE_BYTES + " bytes")));
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ApiException(431, "RequestHeaderFieldsTooLarge", "The request headers are larger than "
                    + MAXIMUM_HEADER_BYTES + " bytes", List.of(new ApiException.Detail("headers",
                    "keep the header section under " + MAXIMUM_HEADER_BYTES + " bytes")));
        }
        return framingProblem(cause);
    }

    /**
     * The 400 for a request whose body cannot be delimited as sent. Netty says what is wrong only in the text of
     * an {@link IllegalArgumentException} (and with its own type for Content-Length beside Transfer-Encoding), so
     * the known texts are matched; any other cause, or a text a later Netty words differently, gets the generic
     * answer. AdminHttpHandlerTest feeds the real codec each case, so a changed text shows there.
     */
    private static ApiException framingProblem(Throwable cause) {
        String text = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (cause instanceof ContentLengthNotAllowedException) {
            return notValidHttp("it has Content-Length and Transfer-Encoding together", "Content-Length",
                    "send either Content-Length or Transfer-Encoding: chunked, not both");
        }
        if (cause instanceof IllegalArgumentException && text.startsWith("Multiple Content-Length values")) {
            return notValidHttp("it has more than one Content-Length", "Content-Length",
                    "send one Content-Length header with one value");
        }
        if (cause instanceof IllegalArgumentException && text.startsWith("Content-Length value is not a number")) {
            return notValidHttp("its Content-Length is not a number", "Content-Length",
                    "the body's length in bytes, a whole number of 0 or more");
        }
        if (cause instanceof IllegalArgumentException && text.startsWith("The final transfer coding must be chunked")) {
            return notValidHttp("its Transfer-Encoding does not end in chunked", "Transfer-Encoding",
                    "send Transfer-Encoding: chunked, or a Content-Length instead");
        }
        return new ApiException(400, "InvalidParameter", "The request is not valid HTTP");
    }

    private static ApiException notValidHttp(String problem, String header, String fix) {
        return new ApiException(400, "InvalidParameter", "The request is not valid HTTP: " + problem,
                List.of(new ApiException.Detail(header, fix)));
    }
}
