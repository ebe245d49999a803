package io.portcullis.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.auth.CertificateFields;
import io.portcullis.broker.ConfigReloader;
import io.portcullis.broker.Configurations;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.Thumbprints;
import io.portcullis.testsupport.LogCapture;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.testsupport.TestCertificates;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The admin API of a running broker, reached as an operator does: the JDK HTTP client over mutual TLS with
 * the dev admin certificate. Covers admin-only trust, each registry collection's create, read, paged list,
 * stale-ETag update and delete, validation details, file-declared resources, the live effect of API changes
 * on a real MQTT client, and API-made resources surviving a restart with durable storage.
 */
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static HttpClient admin;

    @BeforeAll
    static void startBroker() throws Exception {
        // No dev bindings: a client may do only what the API grants it. No revocation: the API's CAs have no CRL.
        broker = RunningBroker.start(directory, AdminApiIT::withoutBindings);
        admin = client(adminContext(broker));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static BrokerConfig withoutBindings(BrokerConfig dev) {
        return new BrokerConfig(dev.listeners(), dev.tls(), dev.mqtt(), dev.namespace(), dev.subjectNameMatch(),
                dev.caCertificates(), dev.clients(), dev.clientGroups(), dev.topicSpaces(), List.of(),
                dev.storage(), RevocationConfig.DISABLED, dev.admin());
    }

    private static SSLContext adminContext(RunningBroker running) throws Exception {
        return RunningBroker.sslContext(PemFiles.readCertificates(running.pki().adminClient().certificate()),
                PemFiles.readPrivateKey(running.pki().adminClient().privateKey()), running.caFile());
    }

    private static HttpClient client(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
    }

    private static HttpResponse<String> send(HttpClient http, int port, String method, String path, String body,
                                             String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        return send(admin, broker.broker().adminPort(), method, path, body, headers);
    }

    /** A request whose body is given as bytes, such as bytes that are not UTF-8. */
    private static HttpResponse<String> sendBytes(String method, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + broker.broker().adminPort()
                        + path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return admin.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static String properties(ObjectNode properties) {
        ObjectNode body = JSON.createObjectNode();
        body.set("properties", properties);
        return body.toString();
    }

    // ---------------------------------------------------------------- trust

    @Test
    void refusesDeviceCertificateInTheHandshake() throws Exception {
        HttpClient device = client(broker.clientSslContext("client-1"));

        assertThatThrownBy(() -> send(device, broker.broker().adminPort(), "GET", "/api/v1/clients", null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void acceptsAdminCertificateAndListsFileDeclaredResources() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/clients?filter=client-", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode first = json(response).path("value").get(0);
        assertThat(first.path("name").asText()).isEqualTo("client-1");
        assertThat(first.path("origin").asText()).isEqualTo("configuration");
        assertThat(first.path("properties").path("state").asText()).isEqualTo("Enabled");
    }

    @Test
    void reloadAppliesAdminTrustLiveAndKeepsApiMadeResources() throws Exception {
        assertThat(send("PUT", "/api/v1/clientGroups/kept-across-reload",
                "{\"properties\": {\"query\": \"attributes.type = 'pump'\"}}").statusCode()).isEqualTo(201);
        TestCertificates.Issued laptop = TestCertificates.certificate("CN=ops-laptop,O=Plant").build();
        HttpClient laptopHttp = client(RunningBroker.sslContext(List.of(laptop.certificate()), laptop.privateKey(),
                broker.caFile()));
        assertThatThrownBy(() -> send(laptopHttp, broker.broker().adminPort(), "GET", "/api/v1/clients", null))
                .isInstanceOf(IOException.class);
        BrokerConfig started = Configurations.load(broker.configFile()).config();
        AdminConfig admin = started.admin();
        ConfigReloader reloader = broker.broker().watchConfiguration();
        try {
            RunningBroker.writeConfig(broker.configFile(), started.withAdmin(new AdminConfig(true,
                    admin.bindAddress(), admin.port(), admin.caCertificateFiles(), admin.caCertificates(),
                    List.of(Thumbprints.thumbprint(laptop.certificate())))), directory);
            assertThat(reloader.reload("test").get(10, TimeUnit.SECONDS)).isNotEqualTo(ConfigReloader.Outcome.INVALID);

            assertThat(send(laptopHttp, broker.broker().adminPort(), "GET", "/api/v1/clientGroups/kept-across-reload",
                    null).statusCode()).isEqualTo(200);
            assertThat(broker.broker().registry().current().clientGroups()).containsKey("kept-across-reload");
        } finally {
            RunningBroker.writeConfig(broker.configFile(), started, directory);
            reloader.reload("test-cleanup").get(10, TimeUnit.SECONDS);
            send("DELETE", "/api/v1/clientGroups/kept-across-reload", null);
        }
        assertThatThrownBy(() -> send(laptopHttp, broker.broker().adminPort(), "GET", "/api/v1/clients", null))
                .isInstanceOf(IOException.class);
    }

    // ---------------------------------------------------------------- each collection

    /** Per collection: a name prefix, properties for item i, and a patch of a writable property. */
    static Stream<Arguments> collections() {
        List<String> caPems = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            caPems.add(TestCertificates.pem(TestCertificates.rootCa("Paging CA " + i)));
        }
        Function<Integer, ObjectNode> ca = i -> JSON.createObjectNode().put("description", "ca " + i)
                .put("encodedCertificate", caPems.get(i));
        Function<Integer, ObjectNode> client = i -> {
            ObjectNode properties = JSON.createObjectNode().put("description", "pump " + i);
            properties.putObject("attributes").put("floor", i).put("type", "pump");
            return properties;
        };
        Function<Integer, ObjectNode> group = i -> JSON.createObjectNode().put("query", "attributes.type = 'pump'");
        Function<Integer, ObjectNode> space = i -> {
            ObjectNode properties = JSON.createObjectNode();
            properties.putArray("topicTemplates").add("plant/" + i + "/#");
            return properties;
        };
        Function<Integer, ObjectNode> binding = i -> JSON.createObjectNode().put("clientGroupName", "$all")
                .put("topicSpaceName", "everything").put("permission", i % 2 == 0 ? "Publisher" : "Subscriber");
        return Stream.of(
                Arguments.of("caCertificates", "paging-ca", ca),
                Arguments.of("clients", "paging-client", client),
                Arguments.of("clientGroups", "paging-group", group),
                Arguments.of("topicSpaces", "paging-space", space),
                Arguments.of("permissionBindings", "paging-binding", binding));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("collections")
    void createsReadsPagesGuardsAndDeletes(String collection, String prefix, Function<Integer, ObjectNode> item)
            throws Exception {
        String base = "/api/v1/" + collection + "/";
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = send("PUT", base + prefix + "-" + i, properties(item.apply(i)));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(json(created).path("origin").asText()).isEqualTo("api");
        }

        HttpResponse<String> read = send("GET", base + prefix + "-1", null);
        assertThat(read.statusCode()).isEqualTo(200);
        String etag = read.headers().firstValue("ETag").orElseThrow();
        assertThat(json(read).path("etag").asText()).isEqualTo(etag);
        assertThat(json(read).path("name").asText()).isEqualTo(prefix + "-1");

        HttpResponse<String> firstPage = send("GET", "/api/v1/" + collection + "?filter=" + prefix.toUpperCase()
                + "&top=2", null);
        assertThat(firstPage.statusCode()).isEqualTo(200);
        assertThat(json(firstPage).path("value").findValuesAsText("name")).containsExactly(prefix + "-0",
                prefix + "-1");
        String nextLink = json(firstPage).path("nextLink").asText();
        HttpResponse<String> secondPage = send("GET", nextLink, null);
        assertThat(json(secondPage).path("value").findValuesAsText("name")).containsExactly(prefix + "-2");
        assertThat(json(secondPage).has("nextLink")).isFalse();

        HttpResponse<String> patched = send("PATCH", base + prefix + "-1",
                "{\"properties\": {\"description\": \"changed\"}}", "If-Match", etag);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("properties").path("description").asText()).isEqualTo("changed");
        String newEtag = patched.headers().firstValue("ETag").orElseThrow();
        assertThat(newEtag).isNotEqualTo(etag);

        HttpResponse<String> stale = send("PATCH", base + prefix + "-1",
                "{\"properties\": {\"description\": \"lost update\"}}", "If-Match", etag);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(json(stale).path("error").path("code").asText()).isEqualTo("PreconditionFailed");
        HttpResponse<String> staleDelete = send("DELETE", base + prefix + "-1", null, "If-Match", etag);
        assertThat(staleDelete.statusCode()).isEqualTo(412);

        for (int i = 0; i < 3; i++) {
            String[] guard = i == 1 ? new String[] {"If-Match", newEtag} : new String[0];
            assertThat(send("DELETE", base + prefix + "-" + i, null, guard).statusCode()).isEqualTo(204);
        }
        assertThat(send("GET", base + prefix + "-1", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", base + prefix + "-1", null).statusCode()).isEqualTo(404);
    }

    @Test
    void ifNoneMatchStarCreatesOnlyOnce() throws Exception {
        String body = "{\"properties\": {\"topicTemplates\": [\"once/#\"]}}";

        assertThat(send("PUT", "/api/v1/topicSpaces/once", body, "If-None-Match", "*").statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/topicSpaces/once", body, "If-None-Match", "*").statusCode()).isEqualTo(412);
        assertThat(send("PUT", "/api/v1/topicSpaces/once", body).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/topicSpaces/once", null).statusCode()).isEqualTo(204);
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void refusesAClientThatWouldAllowTheCallersOwnAdminCertificate() throws Exception {
        String own = CertificateFields.thumbprint(
                PemFiles.readCertificates(broker.pki().adminClient().certificate()).get(0));
        String body = "{\"properties\": {\"clientCertificateAuthentication\": {\"validationScheme\": "
                + "\"ThumbprintMatch\", \"allowedThumbprints\": [\"" + "AB".repeat(32) + "\", \""
                + own.toLowerCase(java.util.Locale.ROOT) + "\"]}}}";

        HttpResponse<String> put = send("PUT", "/api/v1/clients/lockout", body);
        HttpResponse<String> created = send("PUT", "/api/v1/clients/lockout-patched", "{\"properties\": {}}");
        HttpResponse<String> patch = send("PATCH", "/api/v1/clients/lockout-patched", body);

        for (HttpResponse<String> refused : List.of(put, patch)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(json(refused).path("error").path("details").findValuesAsText("target"))
                    .containsExactly("properties.clientCertificateAuthentication.allowedThumbprints[1]");
            assertThat(refused.body()).contains("the admin certificate making this request");
        }
        assertThat(created.statusCode()).isEqualTo(201);
        // The caller still reaches the API, and nothing was stored.
        assertThat(send("GET", "/api/v1/clients/lockout", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/api/v1/clients/lockout-patched", null).statusCode()).isEqualTo(204);
    }

    @Test
    void validationErrorsNameTheField() throws Exception {
        HttpResponse<String> badQuery = send("PUT", "/api/v1/clientGroups/bad-query",
                "{\"properties\": {\"query\": \"attributes.type = \"}}");
        HttpResponse<String> badPem = send("PUT", "/api/v1/caCertificates/bad-pem",
                "{\"properties\": {\"encodedCertificate\": \"not a certificate\"}}");
        HttpResponse<String> unknownField = send("PUT", "/api/v1/topicSpaces/unknown-field",
                "{\"properties\": {\"topicTemplates\": [\"a/#\"], \"colour\": \"red\"}}");

        assertThat(badQuery.statusCode()).isEqualTo(400);
        assertThat(json(badQuery).path("error").path("code").asText()).isEqualTo("ValidationFailed");
        assertThat(json(badQuery).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.query");
        assertThat(json(badPem).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.encodedCertificate");
        assertThat(json(unknownField).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.colour");
        assertThat(send("GET", "/api/v1/clientGroups/bad-query", null).statusCode()).isEqualTo(404);
    }

    @Test
    void answersMalformedAndWrongTypedBodies() throws Exception {
        HttpResponse<String> malformed = send("PUT", "/api/v1/topicSpaces/x", "{\"properties\": ");
        HttpResponse<String> notJson = send(admin, broker.broker().adminPort(), "PUT", "/api/v1/topicSpaces/x",
                null, "Content-Type", "text/plain");
        HttpResponse<String> textBody = sendText("PUT", "/api/v1/topicSpaces/x", "topicTemplates: a");
        HttpResponse<String> unknownCollection = send("GET", "/api/v1/gizmos", null);
        HttpResponse<String> wrongMethod = send("POST", "/api/v1/clients", "{}");

        assertThat(json(malformed).path("error").path("code").asText()).isEqualTo("MalformedJson");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(textBody.statusCode()).isEqualTo(415);
        assertThat(json(unknownCollection).path("error").path("code").asText()).isEqualTo("NotFound");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    private static HttpResponse<String> sendText(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + broker.broker().adminPort()
                        + path)).timeout(TIMEOUT).header("Content-Type", "text/plain")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return admin.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesBodiesOverOneMegabyte() throws Exception {
        String huge = "{\"properties\": {\"description\": \"" + "x".repeat(AdminServer.MAXIMUM_BODY_BYTES) + "\"}}";

        HttpResponse<String> response = send("PUT", "/api/v1/topicSpaces/huge", huge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("PayloadTooLarge");
    }

    @Test
    void refusesABodyOverOneMegabyteAnnouncedWithExpectContinueInJsonAndAuditsIt() throws Exception {
        // A raw socket: the JDK 17 HTTP client never completes an Expect: 100-continue request answered otherwise.
        String head = "PUT /api/v1/topicSpaces/huge-expect HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                + "Content-Length: " + (AdminServer.MAXIMUM_BODY_BYTES + 1) + "\r\n\r\n";
        StringBuilder answer = new StringBuilder();

        List<String> lines = audited(() -> {
            try (SSLSocket socket = (SSLSocket) adminContext(broker).getSocketFactory().createSocket("127.0.0.1",
                    broker.broker().adminPort())) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                // The server closes the connection after its answer, so reading to the end reads exactly the answer.
                answer.append(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        });

        assertThat(answer.toString()).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue")
                .containsIgnoringCase("content-type: application/json; charset=utf-8")
                .contains("\"code\":\"PayloadTooLarge\"");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=put",
                "resource=/api/v1/topicSpaces/huge-expect", "status=413"));
        assertThat(send("GET", "/api/v1/topicSpaces/huge-expect", null).statusCode()).isEqualTo(404);
    }

    @Test
    void answersMethodNotAllowedWithAllowAndAuditsTheRefusedChange() throws Exception {
        List<String> lines = audited(() -> {
            HttpResponse<String> post = send("POST", "/api/v1/clients/pump-405", "{}");
            HttpResponse<String> putMetrics = send("PUT", "/metrics", "{}");

            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, PUT, PATCH, DELETE, HEAD");
            assertThat(json(post).path("error").path("code").asText()).isEqualTo("MethodNotAllowed");
            assertThat(putMetrics.headers().firstValue("Allow")).hasValue("GET, HEAD");
        });

        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=post",
                "resource=/api/v1/clients/pump-405", "status=405"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=put", "resource=/metrics",
                "status=405"));
    }

    @Test
    void answersHeadLikeGetWithoutTheBody() throws Exception {
        HttpResponse<String> get = send("GET", "/api/v1/clients/client-1", null);
        HttpResponse<String> head = send("HEAD", "/api/v1/clients/client-1", null);
        HttpResponse<String> headMetrics = send("HEAD", "/metrics", null);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).isEqualTo(get.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag")).isPresent();
        assertThat(headMetrics.statusCode()).isEqualTo(200);
        assertThat(headMetrics.body()).isEmpty();
    }

    @Test
    void conditionalReadsAnswerNotModifiedOrPreconditionFailed() throws Exception {
        String etag = send("GET", "/api/v1/clients/client-1", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> unchanged = send("GET", "/api/v1/clients/client-1", null, "If-None-Match", etag);
        HttpResponse<String> inList = send("GET", "/api/v1/clients/client-1", null, "If-None-Match",
                "\"other\", W/" + etag);
        HttpResponse<String> otherTag = send("GET", "/api/v1/clients/client-1", null, "If-None-Match", "\"other\"");
        HttpResponse<String> staleIfMatch = send("GET", "/api/v1/clients/client-1", null, "If-Match", "\"other\"");
        HttpResponse<String> currentIfMatch = send("GET", "/api/v1/clients/client-1", null, "If-Match", etag);
        HttpResponse<String> unquoted = send("GET", "/api/v1/clients/client-1", null, "If-None-Match", "abc");

        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
        assertThat(unchanged.body()).isEmpty();
        assertThat(inList.statusCode()).isEqualTo(304);
        assertThat(otherTag.statusCode()).isEqualTo(200);
        assertThat(staleIfMatch.statusCode()).isEqualTo(412);
        assertThat(currentIfMatch.statusCode()).isEqualTo(200);
        assertThat(unquoted.statusCode()).isEqualTo(400);
        assertThat(json(unquoted).path("error").path("message").asText()).isEqualTo("Invalid header If-None-Match");
    }

    @Test
    void createOnlyPutOfAnExistingNameSaysItExists() throws Exception {
        String body = "{\"properties\": {\"description\": \"first\"}}";
        assertThat(send("PUT", "/api/v1/clients/pump-exists", body).statusCode()).isEqualTo(201);

        HttpResponse<String> again = send("PUT", "/api/v1/clients/pump-exists", body, "If-None-Match", "*");

        assertThat(again.statusCode()).isEqualTo(412);
        assertThat(json(again).path("error").path("message").asText())
                .startsWith("client 'pump-exists' already exists");
        assertThat(send("DELETE", "/api/v1/clients/pump-exists", null).statusCode()).isEqualTo(204);
    }

    @Test
    void refusesToRemoveAClientStateThroughANullInAPatch() throws Exception {
        assertThat(send("PUT", "/api/v1/clients/pump-null-state",
                "{\"properties\": {\"state\": \"Disabled\"}}").statusCode()).isEqualTo(201);

        HttpResponse<String> patch = send("PATCH", "/api/v1/clients/pump-null-state",
                "{\"properties\": {\"state\": null}}");
        HttpResponse<String> put = send("PUT", "/api/v1/clients/pump-null-state",
                "{\"properties\": {\"state\": null}}");

        for (HttpResponse<String> refused : List.of(patch, put)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            JsonNode detail = json(refused).path("error").path("details").get(0);
            assertThat(detail.path("target").asText()).isEqualTo("properties.state");
            assertThat(detail.path("message").asText()).isEqualTo("state cannot be removed; use Enabled or Disabled");
        }
        assertThat(json(send("GET", "/api/v1/clients/pump-null-state", null)).path("properties").path("state")
                .asText()).isEqualTo("Disabled");
        assertThat(send("DELETE", "/api/v1/clients/pump-null-state", null).statusCode()).isEqualTo(204);
    }

    @Test
    void refusesDuplicatedMembersAndAttributeNumbersItCannotKeepExactly() throws Exception {
        HttpResponse<String> duplicated = send("PUT", "/api/v1/clients/pump-dup",
                "{\"properties\": {\"state\": \"Disabled\", \"state\": \"Enabled\"}}");
        HttpResponse<String> huge = send("PUT", "/api/v1/clients/pump-big",
                "{\"properties\": {\"attributes\": {\"serial\": 123456789012345678901234567890}}}");
        HttpResponse<String> fraction = send("PUT", "/api/v1/clients/pump-big",
                "{\"properties\": {\"attributes\": {\"ratio\": 1.5}}}");

        assertThat(duplicated.statusCode()).isEqualTo(400);
        assertThat(json(duplicated).path("error").path("code").asText()).isEqualTo("MalformedJson");
        assertThat(json(duplicated).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.state");
        assertThat(huge.statusCode()).isEqualTo(400);
        JsonNode hugeDetail = json(huge).path("error").path("details").get(0);
        assertThat(hugeDetail.path("target").asText()).isEqualTo("properties.attributes.serial");
        assertThat(hugeDetail.path("message").asText()).contains("123456789012345678901234567890",
                "outside the whole numbers", "as a JSON string");
        assertThat(json(fraction).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.attributes.ratio");
        assertThat(send("GET", "/api/v1/clients/pump-dup", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/clients/pump-big", null).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesTextAfterTheJsonValueOnEveryEndpointThatReadsABody() throws Exception {
        String group = "{\"properties\": {\"query\": \"attributes.type = 'pump'\"}}";
        assertThat(send("PUT", "/api/v1/clientGroups/trailing", group).statusCode()).isEqualTo(201);
        String etag = send("GET", "/api/v1/clientGroups/trailing", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> put = send("PUT", "/api/v1/topicSpaces/trailing", "{\"properties\":{}} garbage");
        HttpResponse<String> patch = send("PATCH", "/api/v1/clientGroups/trailing",
                "{\"properties\":{\"description\":\"tg\"}}]]]}}not json");
        HttpResponse<String> check = send("POST", "/api/v1/accessChecks",
                "{\"clientName\": \"client-1\", \"action\": \"publish\", \"topic\": \"a\"} {}");

        for (HttpResponse<String> refused : List.of(put, patch, check)) {
            assertThat(refused.statusCode()).as(refused.request().method()).isEqualTo(400);
            assertThat(json(refused).path("error").path("code").asText()).isEqualTo("MalformedJson");
            assertThat(json(refused).path("error").path("message").asText()).contains("after its JSON value");
        }
        assertThat(send("GET", "/api/v1/topicSpaces/trailing", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/clientGroups/trailing", null).headers().firstValue("ETag")).hasValue(etag);
        assertThat(send("DELETE", "/api/v1/clientGroups/trailing", null).statusCode()).isEqualTo(204);
    }

    @Test
    void refusesALoneSurrogateAndKeepsAPairedOne() throws Exception {
        String group = "{\"properties\": {\"query\": \"attributes.type = 'pump'\"}}";
        assertThat(send("PUT", "/api/v1/clientGroups/unicode", group).statusCode()).isEqualTo(201);
        String etag = send("GET", "/api/v1/clientGroups/unicode", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> lone = send("PATCH", "/api/v1/clientGroups/unicode",
                "{\"properties\":{\"description\":\"a\\ud800b\"}}");
        HttpResponse<String> loneInPut = send("PUT", "/api/v1/topicSpaces/unicode",
                "{\"properties\":{\"topicTemplates\":[\"a/\\udc00\"]}}");
        HttpResponse<String> paired = send("PATCH", "/api/v1/clientGroups/unicode",
                "{\"properties\":{\"description\":\"rocket \\ud83d\\ude80\"}}");

        assertThat(lone.statusCode()).isEqualTo(400);
        assertThat(json(lone).path("error").path("code").asText()).isEqualTo("MalformedJson");
        assertThat(json(lone).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.description");
        assertThat(json(loneInPut).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.topicTemplates[0]");
        assertThat(send("GET", "/api/v1/topicSpaces/unicode", null).statusCode()).isEqualTo(404);
        assertThat(paired.statusCode()).isEqualTo(200);
        assertThat(paired.headers().firstValue("ETag")).isNotEqualTo(Optional.of(etag));
        assertThat(json(send("GET", "/api/v1/clientGroups/unicode", null)).path("properties").path("description")
                .asText()).isEqualTo("rocket \uD83D\uDE80");
        assertThat(send("DELETE", "/api/v1/clientGroups/unicode", null).statusCode()).isEqualTo(204);
    }

    @ParameterizedTest
    @MethodSource("skipTokensNoNextLinkCarries")
    void refusesASkipTokenNoNextLinkCouldCarry(String collection, String token) throws Exception {
        HttpResponse<String> response = send("GET", collection + "?skipToken=" + token, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("InvalidParameter");
        assertThat(json(response).path("error").path("details").findValuesAsText("target"))
                .containsExactly("skipToken");
    }

    static Stream<Arguments> skipTokensNoNextLinkCarries() {
        return Stream.of(
                Arguments.of("/api/v1/clients", "garbage"),
                Arguments.of("/api/v1/clients", "AAAA"),
                Arguments.of("/api/v1/clients", "%2F%2F"),
                Arguments.of("/api/v1/clientGroups", "cHVtcC03="),
                Arguments.of("/api/v1/sessions", "garbage"),
                Arguments.of("/api/v1/sessions", "AAAA"),
                Arguments.of("/api/v1/retainedMessages", "AAAA"),
                Arguments.of("/api/v1/retainedMessages", "cGxhbnQvKw"));
    }

    @Test
    void aSkipTokenFromANextLinkStillPages() throws Exception {
        String space = "{\"properties\": {\"topicTemplates\": [\"paging/#\"]}}";
        for (String name : List.of("paging-a", "paging-b")) {
            assertThat(send("PUT", "/api/v1/topicSpaces/" + name, space).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> first = send("GET", "/api/v1/topicSpaces?filter=paging-&top=1", null);
        String nextLink = json(first).path("nextLink").asText();

        HttpResponse<String> second = send("GET", nextLink, null);

        assertThat(json(first).path("value").findValuesAsText("name")).containsExactly("paging-a");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).path("value").findValuesAsText("name")).containsExactly("paging-b");
        for (String name : List.of("paging-a", "paging-b")) {
            assertThat(send("DELETE", "/api/v1/topicSpaces/" + name, null).statusCode()).isEqualTo(204);
        }
    }

    /** One request written as raw bytes over the admin TLS; the answer read until the server closes. */
    private static String exchangeRaw(String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) adminContext(broker).getSocketFactory().createSocket("127.0.0.1",
                broker.broker().adminPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answersATooLongRequestLineWith414AndTooLongHeadersWith431InJson() throws Exception {
        StringBuilder answers = new StringBuilder();
        List<String> lines = audited(() -> {
            answers.append(exchangeRaw("GET /api/v1/clients/" + "a".repeat(20_000) + " HTTP/1.1\r\n"
                    + "Host: localhost\r\n\r\n")).append('\u0000');
            answers.append(exchangeRaw("PATCH /api/v1/clients/pump-431 HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Filler: " + "b".repeat(20_000) + "\r\n\r\n"));
        });
        String[] both = answers.toString().split("\u0000");

        assertThat(both[0]).startsWith("HTTP/1.1 414 ")
                .containsIgnoringCase("content-type: application/json; charset=utf-8")
                .contains("\"code\":\"UriTooLong\"");
        assertThat(both[1]).startsWith("HTTP/1.1 431 ")
                .containsIgnoringCase("content-type: application/json; charset=utf-8")
                .contains("\"code\":\"RequestHeaderFieldsTooLarge\"");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=patch",
                "resource=/api/v1/clients/pump-431", "status=431"));
    }

    @Test
    void auditsARefusedChangeThatIsNotValidHttp() throws Exception {
        StringBuilder answer = new StringBuilder();
        List<String> lines = audited(() -> answer.append(exchangeRaw("PUT /api/v1/clients/pump-two-lengths"
                + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "Content-Length: 3\r\n\r\n{}")));

        assertThat(answer.toString()).startsWith("HTTP/1.1 400 ").contains("The request is not valid HTTP");
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=put",
                "resource=/api/v1/clients/pump-two-lengths", "status=400"));
        assertThat(send("GET", "/api/v1/clients/pump-two-lengths", null).statusCode()).isEqualTo(404);
    }

    @Test
    void auditsRefusedChangesWhoseTargetDoesNotDecode() throws Exception {
        List<String> targets = List.of("DELETE /api/v1/clients/%C0%AF", "DELETE /api/v1/clients/%ZZ",
                "DELETE /api/v1/clients/abc?x=%ZZ", "PUT /api/v1/clients/abc?x=%ZZ");
        List<String> answers = new ArrayList<>();
        List<String> lines = audited(() -> {
            for (String target : targets) {
                answers.add(exchangeRaw(target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n"));
            }
        });

        assertThat(answers).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 400 ")
                .contains("\"code\":\"InvalidParameter\""));
        assertThat(lines).allSatisfy(line -> assertThat(line).startsWith("Admin change: subject=\"CN="))
                .extracting(line -> line.substring(line.indexOf(" operation=") + 1)).containsExactly(
                        "operation=delete resource=/api/v1/clients/%C0%AF status=400",
                        "operation=delete resource=/api/v1/clients/%ZZ status=400",
                        "operation=delete resource=/api/v1/clients/abc status=400",
                        "operation=put resource=/api/v1/clients/abc status=400");
    }

    @Test
    void neverRunsARequestSentAsTheBodyOfARequestWithAnUnsupportedExpectation() throws Exception {
        String space = "{\"properties\": {\"topicTemplates\": [\"smuggled/#\"]}}";
        assertThat(send("PUT", "/api/v1/topicSpaces/smuggled", space).statusCode()).isEqualTo(201);
        String smuggled = "DELETE /api/v1/topicSpaces/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
        StringBuilder answer = new StringBuilder();

        List<String> lines = audited(() -> answer.append(exchangeRaw("PUT /api/v1/topicSpaces/other HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nExpect: foo\r\nContent-Length: "
                + smuggled.length() + "\r\n\r\n" + smuggled)));

        assertThat(answer.toString()).startsWith("HTTP/1.1 417 ").containsIgnoringCase("connection: close")
                .contains("\"code\":\"ExpectationFailed\"");
        assertThat(answer.toString().split("HTTP/1.1 ", -1)).as("one answer").hasSize(2);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("operation=put",
                "resource=/api/v1/topicSpaces/other", "status=417"));
        assertThat(send("GET", "/api/v1/topicSpaces/smuggled", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/api/v1/topicSpaces/smuggled", null).statusCode()).isEqualTo(204);
    }

    @Test
    void answersTwentyPipelinedRequestsInOrder() throws Exception {
        StringBuilder burst = new StringBuilder("PUT /api/v1/topicSpaces/pipelined HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 46\r\n\r\n"
                + "{\"properties\": {\"topicTemplates\": [\"pipe/#\"]}}");
        for (int i = 0; i < 18; i++) {
            burst.append("GET /api/v1/topicSpaces/pipelined HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        burst.append("DELETE /api/v1/topicSpaces/pipelined HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        String answers = exchangeRaw(burst.toString());

        List<String> statuses = new ArrayList<>();
        for (int at = answers.indexOf("HTTP/1.1 "); at >= 0; at = answers.indexOf("HTTP/1.1 ", at + 1)) {
            statuses.add(answers.substring(at + 9, at + 12));
        }
        List<String> expected = new ArrayList<>(List.of("201"));
        expected.addAll(Collections.nCopies(18, "200"));
        expected.add("204");
        assertThat(statuses).containsExactlyElementsOf(expected);
    }

    @Test
    void readsRepeatedIfMatchLinesAsAListOfTags() throws Exception {
        String space = "{\"properties\": {\"topicTemplates\": [\"twice/#\"]}}";
        HttpResponse<String> created = send("PUT", "/api/v1/topicSpaces/if-match-twice", space);
        String etag = created.headers().firstValue("ETag").orElseThrow();

        String answer = exchangeRaw("DELETE /api/v1/topicSpaces/if-match-twice HTTP/1.1\r\nHost: localhost\r\n"
                + "If-Match: " + etag + "\r\nIf-Match: \"0000000000000000\"\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"message\":\"Invalid header If-Match\"");
        assertThat(send("DELETE", "/api/v1/topicSpaces/if-match-twice", null).statusCode()).isEqualTo(204);
    }

    @Test
    void refusesAQueryValueThatIsNotUtf8NamingTheParameter() throws Exception {
        for (String value : List.of("%ED%A0%80", "%FF")) {
            HttpResponse<String> answer = send("GET", "/api/v1/clients?filter=" + value, null);

            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(json(answer).path("error").path("code").asText()).isEqualTo("InvalidParameter");
            assertThat(json(answer).path("error").path("details").get(0).path("target").asText())
                    .isEqualTo("filter");
        }
    }

    @Test
    void refusesBodiesThatAreNotUnicodeInItsOwnWords() throws Exception {
        HttpResponse<String> brokenName = send("PUT", "/api/v1/clients/pump-name",
                "{\"properties\":{\"attributes\":{\"\\ud800\":\"x\"}}}");
        HttpResponse<String> notUtf8 = sendBytes("PUT", "/api/v1/clients/pump-bytes",
                new byte[]{'{', '"', 'p', '"', ':', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '}'});

        assertThat(brokenName.statusCode()).isEqualTo(400);
        assertThat(json(brokenName).path("error").path("message").asText())
                .startsWith("The request body is not valid Unicode: a member name at properties.attributes");
        assertThat(json(brokenName).path("error").path("details").get(0).path("target").asText())
                .isEqualTo("properties.attributes");
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(json(notUtf8).path("error").path("message").asText())
                .isEqualTo("The request body is not valid UTF-8");
        assertThat(json(notUtf8).path("error").path("details").get(0).path("target").asText()).isEqualTo("body");
    }

    @Test
    void validationDetailsSpeakOfTheApiNotTheFile() throws Exception {
        HttpResponse<String> unknown = send("PUT", "/api/v1/clients/pump-unknown",
                "{\"properties\": {\"colour\": \"red\"}}");
        HttpResponse<String> notAList = send("PUT", "/api/v1/topicSpaces/not-a-list",
                "{\"properties\": {\"topicTemplates\": \"a/#\"}}");
        HttpResponse<String> badHeader = send("PATCH", "/api/v1/clients/client-1",
                "{\"properties\": {}}", "If-Match", "a, b");

        String unknownMessage = json(unknown).path("error").path("details").get(0).path("message").asText();
        assertThat(unknownMessage).contains("properties allowed: ").doesNotContain("keys allowed here")
                .doesNotContainPattern("\\bname\\b,");
        assertThat(json(notAList).path("error").path("details").get(0).path("message").asText())
                .contains("JSON array").doesNotContain("YAML");
        assertThat(json(badHeader).path("error").path("message").asText()).isEqualTo("Invalid header If-Match");
    }

    /** The audit lines written while {@code action} runs. */
    private static List<String> audited(ThrowingAction action) throws Exception {
        try (LogCapture audit = new LogCapture("portcullis.audit")) {
            action.run();
            // The audit line is written on the worker before the answer leaves, so it is there by now.
            return audit.lines();
        }
    }

    @FunctionalInterface
    private interface ThrowingAction {
        void run() throws Exception;
    }

    @Test
    void fileDeclaredResourcesAreReadOnly() throws Exception {
        HttpResponse<String> patch = send("PATCH", "/api/v1/clients/client-1",
                "{\"properties\": {\"state\": \"Disabled\"}}");
        HttpResponse<String> delete = send("DELETE", "/api/v1/topicSpaces/everything", null);

        assertThat(patch.statusCode()).isEqualTo(409);
        assertThat(json(patch).path("error").path("code").asText()).isEqualTo("DeclaredInConfiguration");
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(json(send("GET", "/api/v1/clients/client-1", null)).path("properties").path("state").asText())
                .isEqualTo("Enabled");
    }

    @Test
    void refusesAnAuthenticationNameAnotherClientHas() throws Exception {
        HttpResponse<String> response = send("PUT", "/api/v1/clients/impostor",
                "{\"properties\": {\"authenticationName\": \"CLIENT-2\"}}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("Conflict");
        assertThat(json(response).path("error").path("details").findValuesAsText("target"))
                .containsExactly("properties.authenticationName");
    }

    // ---------------------------------------------------------------- live effect and audit

    @Test
    void apiMadeRegistryAppliesToLiveClientsAndIsAudited() throws Exception {
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        Logger auditLogger = (Logger) LoggerFactory.getLogger("portcullis.audit");
        Level previousLevel = auditLogger.getLevel();
        auditLogger.setLevel(Level.INFO);
        audit.start();
        auditLogger.addAppender(audit);
        TestCertificates.Issued ca = TestCertificates.rootCa("Plant CA");
        TestCertificates.Issued device = TestCertificates.certificate("CN=pump-7,O=Plant").issuer(ca).build();
        SSLContext deviceTls = RunningBroker.sslContext(List.of(device.certificate()), device.privateKey(),
                broker.caFile());
        try {
            assertThatThrownBy(() -> connect(deviceTls, "pump-7-early", new LinkedBlockingQueue<>()))
                    .isInstanceOf(MqttException.class);

            ObjectNode caProperties = JSON.createObjectNode().put("encodedCertificate", TestCertificates.pem(ca));
            assertThat(send("PUT", "/api/v1/caCertificates/plant-ca", properties(caProperties)).statusCode())
                    .isEqualTo(201);
            assertThat(send("PUT", "/api/v1/clients/pump-7",
                    "{\"properties\": {\"attributes\": {\"line\": \"7\"}}}").statusCode()).isEqualTo(201);
            assertThat(send("PUT", "/api/v1/clientGroups/line-7",
                    "{\"properties\": {\"query\": \"attributes.line = '7'\"}}").statusCode()).isEqualTo(201);
            assertThat(send("PUT", "/api/v1/topicSpaces/plant",
                    "{\"properties\": {\"topicTemplates\": [\"plant/${client.attributes.line}/#\"]}}").statusCode())
                    .isEqualTo(201);
            for (String permission : List.of("Publisher", "Subscriber")) {
                assertThat(send("PUT", "/api/v1/permissionBindings/line-7-" + permission.toLowerCase(),
                        "{\"properties\": {\"clientGroupName\": \"line-7\", \"topicSpaceName\": \"plant\","
                                + " \"permission\": \"" + permission + "\"}}").statusCode()).isEqualTo(201);
            }

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttAsyncClient mqtt = connect(deviceTls, "pump-7", received);
            try {
                assertThat(subscribe(mqtt, "plant/7/#")).containsExactly(1);
                assertThat(subscribe(mqtt, "plant/8/#")).containsExactly(0x87);
                mqtt.publish("plant/7/temp", new MqttMessage("21".getBytes(StandardCharsets.UTF_8), 1, false, null))
                        .waitForCompletion(TIMEOUT.toMillis());
                assertThat(received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("plant/7/temp 21");

                HttpResponse<String> disabled = send("PATCH", "/api/v1/clients/pump-7",
                        "{\"properties\": {\"state\": \"Disabled\"}}");
                assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
                await().atMost(TIMEOUT).until(() -> !mqtt.isConnected());
            } finally {
                mqtt.close(true);
            }
            assertThatThrownBy(() -> connect(deviceTls, "pump-7-late", new LinkedBlockingQueue<>()))
                    .isInstanceOf(MqttException.class);

            assertThat(audit.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("subject=\"CN=dev-admin").contains("operation=create")
                    .contains("resource=/api/v1/clients/pump-7").contains("status=201"));
            assertThat(audit.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("operation=patch").contains("resource=/api/v1/clients/pump-7")
                    .contains("status=200").doesNotContain("Disabled"));
        } finally {
            auditLogger.detachAppender(audit);
            auditLogger.setLevel(previousLevel);
            for (String path : List.of("permissionBindings/line-7-publisher", "permissionBindings/line-7-subscriber",
                    "topicSpaces/plant", "clientGroups/line-7", "clients/pump-7", "caCertificates/plant-ca")) {
                send("DELETE", "/api/v1/" + path, null);
            }
        }
    }

    // ---------------------------------------------------------------- operations beside the registry

    @Test
    void servesSessionsRetainedAccessChecksMetricsAndItsDescriptionOverHttps() throws Exception {
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        Logger auditLogger = (Logger) LoggerFactory.getLogger("portcullis.audit");
        Level previousLevel = auditLogger.getLevel();
        auditLogger.setLevel(Level.INFO);
        audit.start();
        auditLogger.addAppender(audit);
        // A client with no permission at all is refused at CONNECT: give everyone ops/# for publishing.
        assertThat(send("PUT", "/api/v1/topicSpaces/ops-space", "{\"properties\": {\"topicTemplates\": [\"ops/#\"]}}")
                .statusCode()).isEqualTo(201);
        assertThat(send("PUT", "/api/v1/permissionBindings/ops-publish", "{\"properties\": {\"clientGroupName\":"
                + " \"$all\", \"topicSpaceName\": \"ops-space\", \"permission\": \"Publisher\"}}").statusCode())
                .isEqualTo(201);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        MqttAsyncClient mqtt = connect(broker.clientSslContext("client-1"), "ops-session", received);
        try {
            mqtt.publish("ops/state", new MqttMessage("on".getBytes(StandardCharsets.UTF_8), 1, true, null))
                    .waitForCompletion(TIMEOUT.toMillis());
            JsonNode session = json(send("GET", "/api/v1/sessions/ops-session", null));
            assertThat(session.path("connected").asBoolean()).isTrue();
            assertThat(session.path("authenticationName").asText()).isEqualTo("client-1");
            assertThat(json(send("GET", "/api/v1/retainedMessages?topicFilter=ops/%23", null)).path("value"))
                    .extracting(item -> item.path("topic").asText()).containsExactly("ops/state");
            JsonNode retained = json(send("GET", "/api/v1/retainedMessages/ops%2Fstate", null));
            assertThat(retained.path("payload").asText()).isEqualTo("b24=");
            assertThat(send("DELETE", "/api/v1/retainedMessages/ops%2Fstate", null).statusCode()).isEqualTo(204);
            // A topic with a '/' is one %2F-encoded segment: this is the item route, answering NotFound.
            HttpResponse<String> noRetained = send("GET", "/api/v1/retainedMessages/demo%2Fnone", null);
            assertThat(noRetained.statusCode()).isEqualTo(404);
            assertThat(json(noRetained).path("error").path("code").asText()).isEqualTo("NotFound");
            HttpResponse<String> check = send("POST", "/api/v1/accessChecks",
                    "{\"clientName\": \"client-1\", \"action\": \"publish\", \"topic\": \"ops/state\"}");
            assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
            assertThat(json(check).path("allowed").asBoolean()).isTrue();
            assertThat(json(check).path("permissionBinding").asText()).isEqualTo("ops-publish");

            HttpResponse<String> metrics = send("GET", "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(metrics.body()).contains("portcullis_");
            JsonNode openApi = json(send("GET", "/openapi.json", null));
            assertThat(openApi.path("openapi").asText()).startsWith("3.0");
            assertThat(openApi.path("paths").has("/api/v1/sessions/{clientId}")).isTrue();

            assertThat(send("DELETE", "/api/v1/sessions/ops-session", null).statusCode()).isEqualTo(204);
            await().atMost(TIMEOUT).until(() -> !mqtt.isConnected());
            assertThat(audit.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                    .contains("operation=disconnect").contains("resource=/api/v1/sessions/ops-session")
                    .contains("status=204"));
        } finally {
            auditLogger.detachAppender(audit);
            auditLogger.setLevel(previousLevel);
            mqtt.close(true);
            send("DELETE", "/api/v1/permissionBindings/ops-publish", null);
            send("DELETE", "/api/v1/topicSpaces/ops-space", null);
        }
    }

    /** The SUBACK reason codes; Paho fails the token on a refusal but keeps the codes. */
    private static int[] subscribe(MqttAsyncClient mqtt, String filter) throws MqttException {
        IMqttToken token = mqtt.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
        try {
            token.waitForCompletion(TIMEOUT.toMillis());
        } catch (MqttException e) {
            if (token.getReasonCodes() == null) {
                throw e;
            }
        }
        return token.getReasonCodes();
    }

    private static MqttAsyncClient connect(SSLContext tls, String clientId, BlockingQueue<String> received)
            throws MqttException {
        MqttAsyncClient mqtt = new MqttAsyncClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        mqtt.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties
                    properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(tls.getSocketFactory());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        try {
            mqtt.connect(options).waitForCompletion(TIMEOUT.toMillis());
        } catch (MqttException e) {
            mqtt.close(true);
            throw e;
        }
        return mqtt;
    }

    // ---------------------------------------------------------------- durability

    @Test
    void apiMadeResourcesSurviveARestartWithDurableStorage(@TempDir Path durableDirectory) throws Exception {
        Function<BrokerConfig, BrokerConfig> durable = dev -> dev.withStorage(
                StorageConfig.rocksDb(durableDirectory.resolve("data")));
        String body = "{\"properties\": {\"description\": \"kept\", \"query\": \"attributes.type = 'pump'\"}}";
        String etag;
        try (RunningBroker first = RunningBroker.start(durableDirectory, durable::apply)) {
            HttpClient http = client(adminContext(first));
            HttpResponse<String> created = send(http, first.broker().adminPort(), "PUT", "/api/v1/clientGroups/pumps",
                    body);
            assertThat(created.statusCode()).isEqualTo(201);
            etag = created.headers().firstValue("ETag").orElseThrow();
        }

        try (RunningBroker second = RunningBroker.start(durableDirectory, durable::apply)) {
            HttpClient http = client(adminContext(second));
            HttpResponse<String> read = send(http, second.broker().adminPort(), "GET", "/api/v1/clientGroups/pumps",
                    null);

            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("ETag")).hasValue(etag);
            assertThat(json(read).path("origin").asText()).isEqualTo("api");
            assertThat(json(read).path("properties").path("description").asText()).isEqualTo("kept");
            assertThat(second.broker().registry().current().clientGroups()).containsKey("pumps");
        }
    }
}
