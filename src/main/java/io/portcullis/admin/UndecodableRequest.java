package io.portcullis.admin;

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
 * request line) 400. {@link AdminHttpHandler} answers and audits it like any refused request. Pure.
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
        return new ApiException(400, "InvalidParameter", "The request is not valid HTTP");
    }
}
