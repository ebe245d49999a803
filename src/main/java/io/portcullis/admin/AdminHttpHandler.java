package io.portcullis.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.logging.LogText;
import io.portcullis.pki.Thumbprints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an admin API connection. It takes the verified admin certificate as the caller
 * once the handshake completes, then answers whole requests one at a time in arrival order (so pipelined
 * requests get their responses in order): each is handed to a worker thread and its response written back
 * on the event loop. A HEAD is answered as a GET without the body. A request refused before a handler sees it
 * (one the codec could not decode, see {@link UndecodableRequest}, or every worker busy) is answered and audited
 * through {@link ApiDispatcher#refuse}, as is one asking for an expectation other than 100-continue (417, then
 * the connection closes). While {@link #MAXIMUM_WAITING} requests wait, reading pauses rather than the connection
 * closing. Keep-alive follows HTTP/1.1. Confined to the connection's event loop.
 */
final class AdminHttpHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    /**
     * Pipelined requests a connection may have waiting before it stops reading from the socket; it reads again
     * once answers made room. Requests the codec had already read when reading stopped are still taken, so the
     * queue is bounded by this plus what one read holds.
     */
    static final int MAXIMUM_WAITING = 16;
    /** How long a connection stays open after refusing a body that is too large; see {@link Ending}. */
    private static final long OVERSIZED_CLOSE_GRACE_SECONDS = 2;

    /** Reads who is calling once the handshake succeeded; the TLS session's verified certificate in production. */
    @FunctionalInterface
    interface CallerSource {
        AdminCaller callerOf(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException;
    }

    private final ApiDispatcher dispatcher;
    private final Executor workers;
    private final CallerSource callers;
    private final AdminRefusalLog refusals;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private AdminCaller caller;
    private boolean isBusy;
    /** An answer that ends the connection is written: nothing read after it is answered. */
    private boolean isEnding;
    /** The handshake failure is logged; the TLS handler's exception for it that follows is not logged again. */
    private boolean handshakeFailed;

    AdminHttpHandler(ApiDispatcher dispatcher, Executor workers, AdminRefusalLog refusals) {
        this(dispatcher, workers, AdminHttpHandler::callerFromTls, refusals);
    }

    AdminHttpHandler(ApiDispatcher dispatcher, Executor workers, CallerSource callers, AdminRefusalLog refusals) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.callers = Objects.requireNonNull(callers, "callers");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                caller = callers.callerOf(ctx);
                LOG.debug("Admin API connection: remote={} subject=\"{}\" thumbprint={}",
                        ctx.channel().remoteAddress(), LogText.safe(caller.subject()), caller.thumbprint());
            } else {
                // The one line for this refusal; a refused certificate's reason comes in the cause.
                handshakeFailed = true;
                refusals.handshakeFailed(ctx.channel(), handshake.cause());
            }
        } else if (event instanceof IdleStateEvent) {
            LOG.debug("Admin API connection idle, closing: remote={}", ctx.channel().remoteAddress());
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    private static AdminCaller callerFromTls(ChannelHandlerContext ctx) throws SSLPeerUnverifiedException {
        Certificate[] chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
        X509Certificate leaf = (X509Certificate) chain[0];
        return new AdminCaller(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253),
                Thumbprints.thumbprint(leaf));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (caller == null) {
            // The handshake event normally comes first; read the session if a request overtook it.
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ssl.handshakeFuture().isSuccess()) {
                try {
                    caller = callers.callerOf(ctx);
                } catch (SSLPeerUnverifiedException e) {
                    caller = null;
                }
            }
        }
        if (isEnding) {
            request.release();
            return;
        }
        if (caller == null) {
            request.release();
            ctx.close();
            return;
        }
        waiting.add(request);
        if (waiting.size() >= MAXIMUM_WAITING && ctx.channel().config().isAutoRead()) {
            // Backpressure, not a close: every request read is answered. The pause is not taken for a slow client:
            // the request deadline stopped at the end of the last whole request and only a later read starts it
            // again, and each answer written resets the idle timer.
            LOG.debug("Admin API connection paused, {} requests waiting: remote={}", waiting.size(),
                    ctx.channel().remoteAddress());
            ctx.channel().config().setAutoRead(false);
        }
        next(ctx);
    }

    /** Reads again once the waiting queue has room; setting auto-read back also asks for the next read. */
    private void readWhenRoom(ChannelHandlerContext ctx) {
        if (waiting.size() < MAXIMUM_WAITING && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        if (isBusy || isEnding || waiting.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        FullHttpRequest request = waiting.poll();
        isBusy = true;
        readWhenRoom(ctx);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String method = request.method().name();
        // HEAD is GET without the body (RFC 9110, 9.3.2): the handler answers a GET, the body is left out.
        boolean isHead = method.equals("HEAD");
        String target = request.uri();
        Map<String, String> headers = combined(request.headers());
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            request.release();
            ApiException refusal;
            if (cause instanceof UnsupportedExpectation) {
                refusal = BodyLimit.expectationFailed();
                LOG.debug("Admin API request with an unsupported expectation: remote={}",
                        ctx.channel().remoteAddress());
            } else {
                refusal = UndecodableRequest.refusal(cause);
                LOG.debug("Admin API request not decodable: status={} remote={} cause=\"{}\"", refusal.status(),
                        ctx.channel().remoteAddress(), LogText.safe(cause));
            }
            // Audited like any refused change: the caller is known, the handshake finished. When the request line
            // itself was unreadable Netty hands on GET /bad-request, which is not a change and so not audited.
            // The codec now skips the rest of the connection's bytes, so nothing after it can be answered. After a
            // 417 the connection closes too: the body the client sent meanwhile is never read as requests.
            write(ctx, dispatcher.refuse(method, target, headers, caller, refusal), isHead,
                    Ending.CLOSE_AFTER_GRACE);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        boolean hasTwoTypes = request.headers().getAll(HttpHeaderNames.CONTENT_TYPE).size() > 1;
        request.release();
        AdminCaller who = caller;
        Ending ending = keepAlive ? Ending.KEEP_ALIVE : Ending.CLOSE;
        if (hasTwoTypes) {
            // Content-Type is a single value, not a list (RFC 9110, 8.3); which line counts is not guessed.
            write(ctx, dispatcher.refuse(method, target, headers, who, ApiException.invalidHeader("Content-Type",
                    "send one Content-Type header")), isHead, ending);
            return;
        }
        try {
            workers.execute(() -> {
                ApiResponse response = dispatcher.dispatch(isHead ? "GET" : method, target, headers, body, who);
                try {
                    ctx.executor().execute(() -> write(ctx, response, isHead, ending));
                } catch (RejectedExecutionException e) {
                    // The listener is stopping and its event loop with it; the connection is closing anyway.
                    LOG.debug("Admin API answer dropped, listener stopping: remote={}", ctx.channel().remoteAddress());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Admin API busy, request refused: method={} remote={}", LogText.token(method),
                    ctx.channel().remoteAddress());
            write(ctx, dispatcher.refuse(method, target, headers, who, new ApiException(503, "ServiceUnavailable",
                    "The admin API is busy; retry shortly")), isHead, ending);
        }
    }

    /**
     * The request's headers by lower-case name for the API. Repeated lines of one header are joined with ", " in
     * order, as RFC 9110 (5.3) makes them one list, so that If-Match and If-None-Match see every tag sent.
     */
    static Map<String, String> combined(HttpHeaders sent) {
        Map<String, String> headers = new HashMap<>();
        sent.forEach(header -> headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(),
                (first, next) -> first + ", " + next));
        return headers;
    }

    /** What happens to the connection after an answer. */
    private enum Ending {
        KEEP_ALIVE,
        CLOSE,
        /**
         * Close a little later: the client may still be sending the body we refused, and closing under it would
         * reset the connection, which can destroy the answer before the client reads it. The codec drops the
         * rest of the body meanwhile; the connection closes when the client hangs up or the grace ends.
         */
        CLOSE_AFTER_GRACE
    }

    private void write(ChannelHandlerContext ctx, ApiResponse response, boolean isHead, Ending ending) {
        FullHttpResponse http;
        try {
            http = toHttp(response, isHead);
        } catch (JsonProcessingException e) {
            LOG.error("Admin API response could not be written as JSON: status={}", response.status(), e);
            http = toHttpUnchecked(ApiDispatcher.error(new ApiException(500, "InternalError",
                    "The broker could not answer the request; its log says why")), isHead);
        }
        HttpUtil.setKeepAlive(http, ending == Ending.KEEP_ALIVE);
        isBusy = false;
        var written = ctx.writeAndFlush(http);
        switch (ending) {
            case KEEP_ALIVE -> next(ctx);
            case CLOSE -> {
                written.addListener(ChannelFutureListener.CLOSE);
                isEnding = true;
                dropWaiting();
            }
            case CLOSE_AFTER_GRACE -> {
                written.addListener(future -> ctx.executor().schedule(() -> ctx.close(),
                        OVERSIZED_CLOSE_GRACE_SECONDS, TimeUnit.SECONDS));
                // Nothing more is read as a request; a pipelined one after the refused body is not answered.
                isEnding = true;
                dropWaiting();
                // The rest of a refused body is read and dropped meanwhile; left unread, the close would reset.
                readWhenRoom(ctx);
            }
        }
    }

    private void dropWaiting() {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
    }

    private static FullHttpResponse toHttpUnchecked(ApiResponse response, boolean isHead) {
        try {
            return toHttp(response, isHead);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the error body is always serializable", e);
        }
    }

    static FullHttpResponse toHttp(ApiResponse response) throws JsonProcessingException {
        return toHttp(response, false);
    }

    /** The HTTP answer; for a HEAD request its headers are a GET's, Content-Length included, with no body. */
    static FullHttpResponse toHttp(ApiResponse response, boolean isHead) throws JsonProcessingException {
        byte[] body;
        String type = null;
        if (response.json() != null) {
            body = ApiDispatcher.JSON.writeValueAsBytes(response.json());
            type = JSON_TYPE;
        } else if (response.text() != null) {
            body = response.text().getBytes(StandardCharsets.UTF_8);
            type = response.contentType();
        } else {
            body = new byte[0];
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()),
                isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().forEach(http.headers()::set);
        if (type != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (response.status() != 204 && response.status() != 304) {
            // A 204 carries no Content-Length (RFC 9110, 8.6), nor does a 304 here (it would have to be the 200's).
            HttpUtil.setContentLength(http, body.length);
        }
        return http;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.forEach(FullHttpRequest::release);
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handshakeFailed) {
            ctx.close();
            return;
        }
        LOG.debug("Admin API connection closed after an error: remote={} cause=\"{}\"",
                ctx.channel().remoteAddress(), LogText.safe(cause));
        ctx.close();
    }

    /**
     * Netty's aggregator. A request whose body is over the limit, announced by Content-Length or found while
     * reading, is passed on as an empty request whose decoding failed with {@link TooLongHttpContentException},
     * so that {@link AdminHttpHandler} answers it in turn with the API's JSON 413, audits it, and closes. A
     * request that asks for {@code Expect: 100-continue} with a Content-Length over the limit goes the same way,
     * rather than getting Netty's own bodiless 413. A request with any other expectation is passed on at once,
     * empty and failed with {@link UnsupportedExpectation}, for the API's JSON 417; its body still goes through
     * the codec as this request's body and is dropped.
     */
    static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit(int maximumBytes) {
            super(maximumBytes);
        }

        static ApiException tooLarge() {
            return new ApiException(413, "PayloadTooLarge", "The request body is larger than "
                    + AdminServer.MAXIMUM_BODY_BYTES + " bytes", List.of(new ApiException.Detail("body",
                    "at most 1 MB")));
        }

        static ApiException expectationFailed() {
            return new ApiException(417, "ExpectationFailed", "The admin API meets no expectation but"
                    + " 100-continue", List.of(new ApiException.Detail("Expect", "send 100-continue, or no Expect"
                    + " header")));
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maximumBytes, ChannelPipeline pipeline) {
            if (isUnsupportedExpectation(start)) {
                // Netty's own 417 would also reset the decoder (HttpExpectationFailedEvent), which then reads the
                // body the client already sent as the next request: a request smuggled inside a refused one. Here
                // the decoder keeps its state and delimits the body; marked failed, the request reaches
                // AdminHttpHandler with no content, and the body's parts that follow pass it unaggregated.
                start.setDecoderResult(DecoderResult.failure(new UnsupportedExpectation()));
                return null;
            }
            if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maximumBytes) {
                // No interim answer: the aggregator then hands the request to handleOversizedMessage.
                start.headers().remove(HttpHeaderNames.EXPECT);
                return null;
            }
            // Only 100-continue is left, so Netty never answers 417 here.
            return super.newContinueResponse(start, maximumBytes, pipeline);
        }

        /**
         * Whether {@code start} asks for an expectation other than 100-continue. Every case Netty would refuse
         * (it reads the first value of an HTTP/1.1 request's Expect) is among these, so its 417 path is never
         * taken.
         */
        static boolean isUnsupportedExpectation(HttpMessage start) {
            if (!(start instanceof HttpRequest) || start.protocolVersion().compareTo(HttpVersion.HTTP_1_1) < 0) {
                return false;
            }
            for (String expectation : start.headers().getAll(HttpHeaderNames.EXPECT)) {
                if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expectation.trim())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // Logged once, with the other undecodable requests, when AdminHttpHandler answers it.
            if (!(oversized instanceof HttpRequest request)) {
                ctx.close();
                return;
            }
            // An unmet expectation announced with a Content-Length over the limit is still answered 417.
            Throwable cause = request.decoderResult().cause() instanceof UnsupportedExpectation unmet ? unmet
                    : new TooLongHttpContentException("body over " + maxContentLength() + " bytes");
            FullHttpRequest refused = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                    request.uri(), Unpooled.EMPTY_BUFFER, request.headers().copy(),
                    EmptyHttpHeaders.INSTANCE);
            refused.setDecoderResult(DecoderResult.failure(cause));
            ctx.fireChannelRead(refused);
        }
    }

    /** The decoding failure that marks a request whose {@code Expect} asks for more than 100-continue. */
    static final class UnsupportedExpectation extends RuntimeException {
        UnsupportedExpectation() {
            super("expectation other than 100-continue", null, false, false);
        }
    }
}
