package io.portcullis.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.testsupport.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One connection's request handling: one request at a time, answers in order, keep-alive and close; requests the
 * HTTP codec cannot decode answered in JSON and audited.
 */
class AdminHttpHandlerTest {
    private static final AdminCaller CALLER = new AdminCaller("CN=ops", "AB".repeat(32));

    /** Worker tasks held until the test runs them, so the test decides when a handler finishes. */
    private final Queue<Runnable> workerTasks = new ArrayDeque<>();

    private EmbeddedChannel channel(boolean handshakeDone) {
        ApiHandler echo = request -> ApiResponse.json(200, Map.of("echo", String.join("/", request.path())
                + " by " + request.caller().subject()));
        ApiDispatcher dispatcher = new ApiDispatcher(Map.of("clients", echo));
        EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler(dispatcher, workerTasks::add,
                ctx -> CALLER, new AdminRefusalLog()));
        if (handshakeDone) {
            channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        }
        return channel;
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, Unpooled.EMPTY_BUFFER);
    }

    private void runWorkers(EmbeddedChannel channel) {
        while (!workerTasks.isEmpty()) {
            workerTasks.poll().run();
            channel.runPendingTasks();
        }
    }

    @Test
    void answersPipelinedRequestsOneAtATimeInOrder() {
        EmbeddedChannel channel = channel(true);

        channel.writeInbound(get("/api/v1/clients/a"), get("/api/v1/clients/b"));
        assertThat(workerTasks).hasSize(1);
        runWorkers(channel);

        List<String> bodies = List.of(body(channel.readOutbound()), body(channel.readOutbound()));
        assertThat(bodies).containsExactly("{\"echo\":\"clients/a by CN=ops\"}", "{\"echo\":\"clients/b by CN=ops\"}");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void writesJsonWithLengthAndKeepsTheConnection() {
        EmbeddedChannel channel = channel(true);

        channel.writeInbound(get("/api/v1/gizmos"));
        runWorkers(channel);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(404);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(
                response.content().readableBytes());
        assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
        response.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesAfterAnsweringConnectionClose() {
        EmbeddedChannel channel = channel(true);
        FullHttpRequest request = get("/api/v1/clients/a");
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

        channel.writeInbound(request);
        runWorkers(channel);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        response.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesARequestThatArrivesWithoutAVerifiedCaller() {
        EmbeddedChannel channel = channel(false);

        channel.writeInbound(get("/api/v1/clients/a"));

        assertThat(workerTasks).isEmpty();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() {
        EmbeddedChannel channel = channel(true);
        channel.writeInbound(get("/api/v1/clients/a"));
        runWorkers(channel);
        FullHttpResponse toGet = channel.readOutbound();

        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/api/v1/clients/a",
                Unpooled.EMPTY_BUFFER));
        runWorkers(channel);
        FullHttpResponse toHead = channel.readOutbound();

        assertThat(toHead.status().code()).isEqualTo(200);
        assertThat(toHead.headers().get(HttpHeaderNames.CONTENT_LENGTH))
                .isEqualTo(toGet.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isNotEqualTo("0");
        assertThat(toHead.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(toHead.content().readableBytes()).isZero();
        toGet.release();
        toHead.release();
    }

    @Test
    void answersAnOversizedBodyAnnouncedWithExpectContinueWithTheJson413() {
        ApiDispatcher dispatcher = new ApiDispatcher(Map.of("clients", request -> ApiResponse.json(200, Map.of())));
        EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler.BodyLimit(16),
                new AdminHttpHandler(dispatcher, workerTasks::add, ctx -> CALLER,
                        new AdminRefusalLog()));
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/api/v1/clients/a");
        request.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE)
                .set(HttpHeaderNames.CONTENT_LENGTH, 17)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json");

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(413);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(body(response)).contains("\"code\":\"PayloadTooLarge\"");
        assertThat((Object) channel.readOutbound()).as("no other answer, no 100 Continue").isNull();
        assertThat(workerTasks).isEmpty();
    }

    @Test
    void answersAnUnsupportedExpectationWithTheJson417AndClosesTheConnection() {
        ApiDispatcher dispatcher = new ApiDispatcher(Map.of("clients", request -> ApiResponse.json(200, Map.of())));
        EmbeddedChannel channel = new EmbeddedChannel(new AdminHttpHandler.BodyLimit(16),
                new AdminHttpHandler(dispatcher, workerTasks::add, ctx -> CALLER,
                        new AdminRefusalLog()));
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/clients");
        request.headers().set(HttpHeaderNames.EXPECT, "200-ok").set(HttpHeaderNames.CONTENT_LENGTH, 0);

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(417);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(body(response)).contains("\"code\":\"ExpectationFailed\"").contains("\"target\":\"Expect\"");
        assertThat(workerTasks).as("the request is not handled").isEmpty();
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    /** The production pipeline from the HTTP codec on, fed raw bytes as a client sends them; clients echo the path. */
    private EmbeddedChannel codecChannel() {
        ApiDispatcher dispatcher = new ApiDispatcher(Map.of("clients", request -> ApiResponse.json(200,
                Map.of("echo", String.join("/", request.path()))), "topicSpaces", request -> ApiResponse.json(200,
                Map.of("ifMatch", request.header("if-match").orElse("")))));
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new AdminHttpHandler.BodyLimit(AdminServer.MAXIMUM_BODY_BYTES),
                new AdminHttpHandler(dispatcher, workerTasks::add, ctx -> CALLER, new AdminRefusalLog()));
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        return channel;
    }

    private static List<String> audited(Runnable requests) {
        try (LogCapture audit = new LogCapture("portcullis.audit")) {
            requests.run();
            return audit.lines();
        }
    }

    /** The answer's bytes as the client reads them. */
    private static String answerTo(EmbeddedChannel channel, String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        return written(channel);
    }

    /** What the channel has written so far, as the client reads it. */
    private static String written(EmbeddedChannel channel) {
        StringBuilder answer = new StringBuilder();
        for (ByteBuf bytes = channel.readOutbound(); bytes != null; bytes = channel.readOutbound()) {
            answer.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.release();
        }
        return answer.toString();
    }

    @Test
    void answersATooLongRequestLineWithTheJson414AndAuditsNothingItCannotRead() {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            String answer = answerTo(channel, "PUT /api/v1/clients/" + "a".repeat(20_000)
                    + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 414 ")
                    .containsIgnoringCase("content-type: application/json; charset=utf-8")
                    .containsIgnoringCase("connection: close")
                    .contains("\"code\":\"UriTooLong\"");
        });

        assertThat(workerTasks).as("the request is not handled").isEmpty();
        assertThat(lines).as("the method was never read").isEmpty();
    }

    @Test
    void answersTooLongHeadersWithTheJson431AndAuditsTheRefusedChange() {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            String answer = answerTo(channel, "DELETE /api/v1/clients/pump-7 HTTP/1.1\r\nHost: x\r\n"
                    + "X-Filler: " + "b".repeat(20_000) + "\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 431 ").contains("\"code\":\"RequestHeaderFieldsTooLarge\"");
        });

        assertThat(workerTasks).isEmpty();
        assertThat(lines).singleElement().asString().contains("thumbprint=" + CALLER.thumbprint(),
                "operation=delete", "resource=/api/v1/clients/pump-7", "status=431");
    }

    @Test
    void answersManySmallHeadersOverTheLimitWith431() {
        EmbeddedChannel channel = codecChannel();
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("c".repeat(40)).append("\r\n");
        }

        String answer = answerTo(channel, "GET /api/v1/clients HTTP/1.1\r\n" + headers + "\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void answersInvalidHttpWith400AndAuditsTheRefusedChange() {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            String answer = answerTo(channel, "PUT /api/v1/clients/pump-7?x=1 HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");

            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"InvalidParameter\"",
                    "not valid HTTP");
        });

        assertThat(workerTasks).isEmpty();
        assertThat(lines).singleElement().asString().contains("subject=\"CN=ops\"", "operation=put",
                "resource=/api/v1/clients/pump-7 ", "status=400");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Content-Length: 2\\r\\nContent-Length: 3 | it has more than one Content-Length | Content-Length",
            "Content-Length: 2\\r\\nContent-Length: 2 | it has more than one Content-Length | Content-Length",
            "Content-Length: 2, 2 | it has more than one Content-Length | Content-Length",
            "Content-Length: 2\\r\\nTransfer-Encoding: chunked "
                    + "| it has Content-Length and Transfer-Encoding together | Content-Length",
            "Content-Length: -1 | its Content-Length is not a number | Content-Length",
            "Content-Length: two | its Content-Length is not a number | Content-Length",
            "Transfer-Encoding: gzip | its Transfer-Encoding does not end in chunked | Transfer-Encoding"
    })
    void namesTheHeaderProblemOfARequestThatIsNotValidHttp(String header, String problem, String target) {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            String answer = answerTo(channel, "PUT /api/v1/clients/pump-7 HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\n" + header.replace("\\r\\n", "\r\n") + "\r\n\r\n{}");

            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"InvalidParameter\"",
                    "\"message\":\"The request is not valid HTTP: " + problem + "\"",
                    "\"details\":[{\"target\":\"" + target + "\",");
        });

        assertThat(workerTasks).isEmpty();
        assertThat(lines).singleElement().asString().contains("operation=put", "resource=/api/v1/clients/pump-7 ",
                "status=400");
    }

    @Test
    void keepsTheGenericWordsForOtherRequestsThatAreNotValidHttp() {
        EmbeddedChannel channel = codecChannel();

        String answer = answerTo(channel, "PUT /api/v1/clients/pump-7 HTTP/1.1\r\nHost: x\r\n"
                + "Bad Header: y\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"message\":\"The request is not valid HTTP\"",
                "\"details\":[]");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "DELETE, /api/v1/clients/%C0%AF, delete, /api/v1/clients/%C0%AF",
            "DELETE, /api/v1/clients/%ZZ, delete, /api/v1/clients/%ZZ",
            "DELETE, /api/v1/clients/abc?x=%ZZ, delete, /api/v1/clients/abc",
            "PUT, /api/v1/clients/abc?x=%ZZ, put, /api/v1/clients/abc"
    })
    void auditsAChangeWhoseTargetDoesNotDecode(String method, String target, String operation, String resource) {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            channel.writeInbound(Unpooled.copiedBuffer(method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 0\r\n\r\n", StandardCharsets.ISO_8859_1));
            runWorkers(channel);
        });

        assertThat(written(channel)).startsWith("HTTP/1.1 400 ").contains("\"code\":\"InvalidParameter\"");
        assertThat(lines).containsExactly("Admin change: subject=\"CN=ops\" thumbprint=" + CALLER.thumbprint()
                + " operation=" + operation + " resource=" + resource + " status=400");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Content-Length: 53 | DELETE /api/v1/clients/smuggled HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
            "Transfer-Encoding: chunked | 35\\r\\nDELETE /api/v1/clients/smuggled HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n"
                    + "\\r\\n0\\r\\n\\r\\n"
    })
    void neverReadsTheBodyOfARequestWithAnUnsupportedExpectationAsARequest(String framing, String body) {
        EmbeddedChannel channel = codecChannel();
        String raw = "PUT /api/v1/clients/other HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: foo\r\n" + framing + "\r\n\r\n" + body.replace("\\r\\n", "\r\n");

        List<String> lines = audited(() -> {
            String answer = answerTo(channel, raw);
            runWorkers(channel);
            answer += written(channel);

            assertThat(answer).startsWith("HTTP/1.1 417 ").containsIgnoringCase("connection: close")
                    .contains("\"code\":\"ExpectationFailed\"");
            assertThat(answer.indexOf("HTTP/1.1 ", 1)).as("one answer only").isEqualTo(-1);
        });

        assertThat(workerTasks).as("neither the request nor its body reaches a handler").isEmpty();
        assertThat(lines).containsExactly("Admin change: subject=\"CN=ops\" thumbprint=" + CALLER.thumbprint()
                + " operation=put resource=/api/v1/clients/other status=417");
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAnUnsupportedExpectationInItsTurnAmongPipelinedRequests() {
        EmbeddedChannel channel = codecChannel();

        channel.writeInbound(Unpooled.copiedBuffer("GET /api/v1/clients/a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "PUT /api/v1/clients/b HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /api/v1/clients/c HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.ISO_8859_1));
        runWorkers(channel);

        String answers = written(channel);
        assertThat(answers).startsWith("HTTP/1.1 200 ");
        assertThat(answers.indexOf("HTTP/1.1 417 ")).isPositive();
        assertThat(answers.split("HTTP/1.1 ", -1)).as("no answer after the 417").hasSize(3);
    }

    @Test
    void answersTwentyPipelinedRequestsInOrderPausingReadsWhileSixteenWait() {
        EmbeddedChannel channel = codecChannel();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            burst.append("GET /api/v1/clients/c").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }

        channel.writeInbound(Unpooled.copiedBuffer(burst, StandardCharsets.ISO_8859_1));

        assertThat(channel.config().isAutoRead()).as("reading paused, the connection kept").isFalse();
        assertThat(channel.isOpen()).isTrue();
        runWorkers(channel);
        String answers = written(channel);
        assertThat(answers.split("HTTP/1.1 200 ", -1)).hasSize(21);
        int previous = -1;
        for (int i = 0; i < 20; i++) {
            int at = answers.indexOf("{\"echo\":\"clients/c" + i + "\"}");
            assertThat(at).as("answer %d after answer %d", i, i - 1).isGreaterThan(previous);
            previous = at;
        }
        assertThat(channel.config().isAutoRead()).as("reading again once answers made room").isTrue();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void resumesReadingOnceAnAnswerMakesRoom() {
        EmbeddedChannel channel = channel(true);
        for (int i = 0; i <= AdminHttpHandler.MAXIMUM_WAITING; i++) {
            channel.writeInbound(get("/api/v1/clients/c" + i));
        }
        assertThat(channel.config().isAutoRead()).isFalse();

        workerTasks.poll().run();
        channel.runPendingTasks();

        assertThat(channel.config().isAutoRead()).isTrue();
        runWorkers(channel);
        List<String> bodies = new ArrayList<>();
        for (FullHttpResponse response = channel.readOutbound(); response != null; response = channel.readOutbound()) {
            bodies.add(body(response));
        }
        assertThat(bodies).hasSize(AdminHttpHandler.MAXIMUM_WAITING + 1)
                .first().isEqualTo("{\"echo\":\"clients/c0 by CN=ops\"}");
        assertThat(bodies).last().isEqualTo("{\"echo\":\"clients/c16 by CN=ops\"}");
    }

    @Test
    void joinsRepeatedHeaderLinesIntoOneList() {
        EmbeddedChannel channel = codecChannel();

        channel.writeInbound(Unpooled.copiedBuffer("PATCH /api/v1/topicSpaces/a HTTP/1.1\r\nHost: x\r\n"
                + "If-Match: \"1111\"\r\nif-match: \"0000\"\r\nContent-Length: 0\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        runWorkers(channel);

        assertThat(written(channel)).startsWith("HTTP/1.1 200 ")
                .contains("{\"ifMatch\":\"\\\"1111\\\", \\\"0000\\\"\"}");
    }

    @Test
    void refusesTwoContentTypeLinesNamingTheHeaderAndAuditsTheRefusedChange() {
        EmbeddedChannel channel = codecChannel();

        List<String> lines = audited(() -> {
            channel.writeInbound(Unpooled.copiedBuffer("PUT /api/v1/clients/pump-7 HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}",
                    StandardCharsets.ISO_8859_1));
            runWorkers(channel);
        });

        assertThat(written(channel)).startsWith("HTTP/1.1 400 ").contains("\"code\":\"InvalidParameter\"",
                "\"message\":\"Invalid header Content-Type\"", "\"target\":\"Content-Type\"");
        assertThat(lines).singleElement().asString().contains("operation=put", "resource=/api/v1/clients/pump-7 ",
                "status=400");
        assertThat(channel.isOpen()).isTrue();
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }
}
