package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.metrics.BrokerMetrics;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.portcullis.admin.ops.OpsRequests.MAPPER;
import static io.portcullis.admin.ops.OpsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler map the broker hands to the admin server, on a running broker: its keys, the routing contract
 * (each handler answers every operation the OpenAPI document gives its path, and 405 for the other methods),
 * and {@code /metrics} in the Prometheus text format.
 */
class OperationsHandlersIT {
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "PATCH", "DELETE");
    private static final Set<String> REGISTRY = Set.of("caCertificates", "clients", "clientGroups", "topicSpaces",
            "permissionBindings");

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static Map<String, ApiHandler> handlers;

    @BeforeAll
    static void start() throws Exception {
        broker = RunningBroker.start(directory);
        handlers = OperationsHandlers.create(broker.broker().context(), broker.broker().metrics());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void servesTheDocumentedKeys() {
        assertThat(handlers.keySet()).containsExactlyInAnyOrderElementsOf(OperationsHandlers.KEYS)
                .containsExactlyInAnyOrder("sessions", "retainedMessages", "accessChecks", "/openapi.json",
                        "/metrics");
    }

    @Test
    void eachHandlerAllowsExactlyTheMethodsTheDocumentGivesItsPaths() throws Exception {
        JsonNode paths = MAPPER.readTree(OpenApiHandler.load()).path("paths");
        List<String> checked = new ArrayList<>();
        paths.fieldNames().forEachRemaining(path -> {
            String[] segments = path.startsWith("/api/v1/")
                    ? path.substring("/api/v1/".length()).split("/") : new String[]{path};
            if (REGISTRY.contains(segments[0])) {
                return;
            }
            ApiHandler handler = handlers.get(segments[0]);
            // Path parameters get a value no session, topic or client has, so reads answer 404, not 200.
            List<String> requestPath = path.startsWith("/api/v1/")
                    ? Arrays.stream(segments).map(s -> s.startsWith("{") ? "no-such-item" : s).toList()
                    : List.of();
            for (String method : METHODS) {
                boolean documented = paths.path(path).has(method.toLowerCase(Locale.ROOT));
                Integer status = statusOf(handler, new ApiRequest(method, requestPath, Map.of(), Map.of(),
                        "{}".getBytes(), new AdminCaller("CN=ops", "00")));
                if (documented) {
                    assertThat(status).as("%s %s", method, path).isNotEqualTo(405);
                } else {
                    assertThat(status).as("%s %s", method, path).isEqualTo(405);
                }
                checked.add(method + " " + path);
            }
        });
        assertThat(checked).hasSize(7 * METHODS.size());
    }

    @Test
    void metricsAreThePrometheusTextFormat() {
        ApiResponse response = handlers.get("/metrics").handle(request("GET", List.of(), null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo(BrokerMetrics.CONTENT_TYPE);
        assertThat(response.text()).contains("# HELP portcullis_sessions_connected ",
                "# TYPE portcullis_sessions_connected gauge", "# TYPE portcullis_tls_handshakes_total counter",
                "portcullis_accept_refused_total{limit=\"maximumHandshakesInProgress\"} 0");
        assertThat(response.text().lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .allMatch(line -> line.startsWith("portcullis_"));
    }

    private static Integer statusOf(ApiHandler handler, ApiRequest request) {
        try {
            return handler.handle(request).status();
        } catch (ApiException e) {
            return e.status();
        }
    }
}
