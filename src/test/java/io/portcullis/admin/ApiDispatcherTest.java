package io.portcullis.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing to handlers, error bodies, the JSON body check and the audit line, with handlers of our own. */
class ApiDispatcherTest {
    private static final AdminCaller CALLER = new AdminCaller("CN=ops,O=Plant", "AB".repeat(32));
    private static final byte[] SECRET_BODY = "{\"properties\": {\"description\": \"s3cret\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final List<ApiRequest> seen = new ArrayList<>();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private final Logger auditLogger = (Logger) LoggerFactory.getLogger("portcullis.audit");
    private Level previousLevel;

    @BeforeEach
    void captureAudit() {
        previousLevel = auditLogger.getLevel();
        auditLogger.setLevel(Level.INFO);
        audit.start();
        auditLogger.addAppender(audit);
    }

    @AfterEach
    void releaseAudit() {
        auditLogger.detachAppender(audit);
        auditLogger.setLevel(previousLevel);
    }

    private ApiDispatcher dispatcher() {
        ApiHandler echo = request -> {
            seen.add(request);
            return request.method().equals("PUT") ? ApiResponse.json(201, Map.of("ok", true))
                    : ApiResponse.json(200, Map.of("ok", true));
        };
        ApiHandler refusing = request -> {
            throw new ApiException(409, "Conflict", "taken", List.of(new ApiException.Detail("name", "in use")));
        };
        ApiHandler broken = request -> {
            throw new IllegalStateException("internal detail: /var/lib/portcullis");
        };
        ApiHandler checks = new ApiHandler() {
            @Override
            public ApiResponse handle(ApiRequest request) {
                return ApiResponse.json(200, Map.of("allowed", true));
            }

            @Override
            public boolean isChange(ApiRequest request) {
                return false;
            }
        };
        ApiHandler sessions = new ApiHandler() {
            @Override
            public ApiResponse handle(ApiRequest request) {
                return ApiResponse.noContent();
            }

            @Override
            public String operation(ApiRequest request, int status) {
                return "disconnect";
            }
        };
        return new ApiDispatcher(Map.of("clients", echo, "clientGroups", refusing, "topicSpaces", broken,
                "accessChecks", checks, "sessions", sessions, "/metrics", echo));
    }

    private static JsonNode body(ApiResponse response) {
        return ApiDispatcher.JSON.valueToTree(response.json());
    }

    @Test
    void handsDecodedRequestToTheCollectionsHandler() {
        ApiResponse response = dispatcher().dispatch("GET", "/api/v1/clients/a%2Fb?top=3",
                Map.of("if-match", "\"x\""), new byte[0], CALLER);

        assertThat(response.status()).isEqualTo(200);
        assertThat(seen).singleElement().satisfies(request -> {
            assertThat(request.path()).containsExactly("clients", "a/b");
            assertThat(request.parameter("top")).hasValue("3");
            assertThat(request.header("if-match")).hasValue("\"x\"");
            assertThat(request.caller()).isEqualTo(CALLER);
        });
    }

    @Test
    void routesTopLevelDocumentsWithAnEmptyPath() {
        dispatcher().dispatch("GET", "/metrics", Map.of(), new byte[0], CALLER);

        assertThat(seen).singleElement().satisfies(request -> assertThat(request.path()).isEmpty());
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "GET, /api/v1/gizmos, 404, NotFound",
            "GET, /openapi.json, 404, NotFound",
            "GET, /elsewhere, 404, NotFound",
            "GET, /api/v1/clients/%zz, 400, InvalidParameter",
            "PUT, /api/v1/clientGroups/g, 409, Conflict",
            "GET, /api/v1/topicSpaces, 500, InternalError"
    })
    void answersErrorsAsJson(String method, String target, int status, String code) {
        ApiResponse response = dispatcher().dispatch(method, target, Map.of(), new byte[0], CALLER);

        assertThat(response.status()).isEqualTo(status);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo(code);
        assertThat(body(response).path("error").path("details").isArray()).isTrue();
    }

    @Test
    void keepsInternalDetailsOutOfTheAnswer() {
        ApiResponse response = dispatcher().dispatch("GET", "/api/v1/topicSpaces", Map.of(), new byte[0], CALLER);

        assertThat(body(response).toString()).doesNotContain("/var/lib/portcullis");
    }

    @Test
    void refusesBodiesThatAreNotJson() {
        ApiResponse response = dispatcher().dispatch("PUT", "/api/v1/clients/c", Map.of("content-type",
                "text/plain"), SECRET_BODY, CALLER);

        assertThat(response.status()).isEqualTo(415);
        assertThat(seen).isEmpty();
    }

    @Test
    void answersMethodNotAllowedWithTheAllowHeader() {
        ApiHandler getOnly = request -> {
            throw ApiException.methodNotAllowed(request.method(), "/metrics", "GET");
        };
        ApiDispatcher dispatcher = new ApiDispatcher(Map.of("/metrics", getOnly));

        ApiResponse response = dispatcher.dispatch("POST", "/metrics", Map.of(), new byte[0], CALLER);

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers()).containsEntry("Allow", "GET, HEAD");
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=post resource=/metrics status=405");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "application/json, true",
            "application/json; charset=utf-8, true",
            "Application/JSON, true",
            "application/merge-patch+json, true",
            "text/plain, false",
            "application/jsonx, false",
            "'', false",
            "'application/json; charset=UTF-8', true",
            "'application/json; charset=\"utf-8\"', true",
            "'application/json;charset=utf8', true",
            "'application/json; charset=utf-16', false",
            "'application/json; charset=iso-8859-1', false",
            "'application/+json', false",
            "'application/json; foo=bar', true"
    })
    void recognisesJsonContentTypes(String contentType, boolean isJson) {
        assertThat(ApiDispatcher.isJson(contentType)).isEqualTo(isJson);
    }

    @Test
    void auditsEachChangeWithCallerOperationResourceAndStatusButNoBody() {
        ApiDispatcher dispatcher = dispatcher();

        dispatcher.dispatch("PUT", "/api/v1/clients/pump-7?x=1", Map.of("content-type", "application/json"),
                SECRET_BODY, CALLER);
        dispatcher.dispatch("PUT", "/api/v1/clientGroups/g", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("DELETE", "/api/v1/sessions/pump-7", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("PATCH", "/api/v1/gizmos/x", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("GET", "/api/v1/clients/pump-7", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("POST", "/api/v1/accessChecks", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("POST", "/api/v1/gizmos", Map.of(), new byte[0], CALLER);
        dispatcher.refuse("PUT", "/api/v1/clients/huge", Map.of(), CALLER,
                new ApiException(413, "PayloadTooLarge", "too large"));
        dispatcher.refuse("GET", "/api/v1/clients/busy", Map.of(), CALLER,
                new ApiException(503, "ServiceUnavailable", "busy"));

        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=create resource=/api/v1/clients/pump-7 status=201",
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=put resource=/api/v1/clientGroups/g status=409",
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=disconnect resource=/api/v1/sessions/pump-7 status=204",
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=patch resource=/api/v1/gizmos/x status=404",
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=post resource=/api/v1/gizmos status=404",
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=put resource=/api/v1/clients/huge status=413");
        assertThat(audit.list).allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "DELETE, /api/v1/clients/%C0%AF, delete, /api/v1/clients/%C0%AF",
            "DELETE, /api/v1/clients/%ZZ, delete, /api/v1/clients/%ZZ",
            "DELETE, /api/v1/clients/abc?x=%ZZ, delete, /api/v1/clients/abc",
            "PUT, /api/v1/clients/abc?x=%ZZ, put, /api/v1/clients/abc",
            "PATCH, /api/v1/clients/abc?x=%FF, patch, /api/v1/clients/abc",
            "DELETE, /api/v1/sessions/%FF, disconnect, /api/v1/sessions/%FF",
            "DELETE, /api/v1/%ZZ/x, delete, /api/v1/%ZZ/x"
    })
    void auditsAChangeRefusedBecauseItsTargetDoesNotDecode(String method, String target, String operation,
                                                            String resource) {
        ApiResponse response = dispatcher().dispatch(method, target, Map.of(), new byte[0], CALLER);

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response).path("error").path("code").asText()).isEqualTo("InvalidParameter");
        assertThat(seen).as("no handler saw it").isEmpty();
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=" + operation + " resource=" + resource + " status=400");
    }

    @Test
    void auditsAChangeOutsideTheApiAndLeavesReadsAndChecksUnaudited() {
        ApiDispatcher dispatcher = dispatcher();

        ApiResponse elsewhere = dispatcher.dispatch("DELETE", "/elsewhere", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("GET", "/api/v1/clients/%FF", Map.of(), new byte[0], CALLER);
        dispatcher.dispatch("POST", "/api/v1/accessChecks?x=%ZZ", Map.of(), new byte[0], CALLER);

        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Admin change: subject=\"CN=ops,O=Plant\" thumbprint=" + CALLER.thumbprint()
                        + " operation=delete resource=/elsewhere status=404");
    }

    @Test
    void answersAnEarlierRefusalBeforeAnUndecodableTargetAndAuditsIt() {
        ApiResponse response = dispatcher().refuse("PUT", "/api/v1/clients/%C0%AF", Map.of(), CALLER,
                new ApiException(413, "PayloadTooLarge", "too large"));

        assertThat(response.status()).isEqualTo(413);
        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("operation=put", "resource=/api/v1/clients/%C0%AF", "status=413");
    }

    @Test
    void escapesWhatTheRequestAndTheCertificateCarryInTheAuditLine() {
        AdminCaller forger = new AdminCaller("CN=ops\nportcullis.audit - Admin change: FORGED", "AB".repeat(32));

        dispatcher().dispatch("PUT", "/api/v1/clients/pump\u0085x\r\n2026 FORGED", Map.of(), new byte[0], forger);

        assertThat(audit.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("subject=\"CN=ops\\nportcullis.audit - Admin change: FORGED\"",
                        "resource=/api/v1/clients/pump\\x85x\\r\\n2026\\x20FORGED status=")
                .doesNotContain("\n", "\r", "\u0085");
    }
}
