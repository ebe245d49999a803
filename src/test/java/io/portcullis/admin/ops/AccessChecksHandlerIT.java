package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.cli.PortcullisCommand;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static io.portcullis.admin.ops.OpsRequests.MAPPER;
import static io.portcullis.admin.ops.OpsRequests.json;
import static io.portcullis.admin.ops.OpsRequests.refused;
import static io.portcullis.admin.ops.OpsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The access checks handler on a running broker (the dev configuration: every client may publish and subscribe
 * outside the reserved {@code $} topics): its answers equal {@code portcullis check-access --config} on the same
 * file, follow the registry the broker holds now, and a body it cannot read is refused naming each field.
 */
class AccessChecksHandlerIT {
    private static final List<String> PATH = List.of("accessChecks");

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static ApiHandler checks;

    @BeforeAll
    static void start() throws Exception {
        broker = RunningBroker.start(directory);
        checks = OperationsHandlers.create(broker.broker().context(), broker.broker().metrics()).get("accessChecks");
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @ParameterizedTest
    @CsvSource({
            "client-1, publish, plant/7/temp, true",
            "client-2, subscribe, plant/#, true",
            "client-2, subscribe, $share/workers/jobs/+, true",
            "client-1, publish, $SYS/broker/load, false",
            "client-1, subscribe, plant/#/bad, false",
            "nobody, publish, plant/7/temp, false",
    })
    void answersAsCheckAccessDoesOnTheConfigurationFile(String client, String action, String topic, boolean allowed) {
        JsonNode answer = check(client, action, topic);

        assertThat(answer.path("allowed").asBoolean()).isEqualTo(allowed);
        assertThat(answer.path("explanation").size()).isGreaterThan(1);
        assertThat(answer).isEqualTo(withoutConfigFileNote(checkAccessCommand(client, action, topic)));
    }

    /**
     * The command's answer without the line it adds under --config for an unknown client (that --config reads only
     * the file): the API asks the running broker, so it has no such line.
     */
    private static JsonNode withoutConfigFileNote(JsonNode answer) {
        ObjectNode copy = answer.deepCopy();
        ArrayNode explanation = (ArrayNode) copy.path("explanation");
        for (int i = explanation.size() - 1; i >= 0; i--) {
            if (explanation.get(i).asText().startsWith("--config reads only the configuration file")) {
                explanation.remove(i);
            }
        }
        return copy;
    }

    @ParameterizedTest(name = "{0} audited: {1}")
    @CsvSource({"POST, false", "GET, false", "HEAD, false", "OPTIONS, false", "TRACE, false", "PUT, true",
            "PATCH, true", "DELETE, true"})
    void onlyMethodsThatWouldChangeSomethingAreAudited(String method, boolean isChange) {
        assertThat(checks.isChange(request(method, List.of("accessChecks"), null))).isEqualTo(isChange);
    }

    @Test
    void anAllowNamesTheBindingTopicSpaceAndTemplate() {
        JsonNode answer = check("client-1", "publish", "plant/7/temp");

        assertThat(answer.path("permissionBinding").asText()).isEqualTo("all-publish");
        assertThat(answer.path("topicSpace").asText()).isEqualTo("everything");
        assertThat(answer.path("topicTemplate").asText()).isEqualTo("#");
        assertThat(answer.path("reason").isNull()).isTrue();
    }

    @Test
    void aDenialIsAnAnswerWithItsReason() {
        JsonNode unknown = check("nobody", "publish", "plant/7/temp");

        assertThat(unknown.path("allowed").asBoolean()).isFalse();
        assertThat(unknown.path("reason").asText()).contains("no client named").contains("nobody");
        assertThat(unknown.path("permissionBinding").isNull()).isTrue();
    }

    @Test
    void followsTheRegistryTheBrokerHoldsNow() {
        RegistryHolder holder = broker.broker().registry();
        Registry before = holder.current();
        Registry withoutBindings = new Registry(before.settings(), List.copyOf(before.caCertificates().values()),
                List.copyOf(before.clients().values()), List.copyOf(before.clientGroups().values()),
                List.copyOf(before.topicSpaces().values()), List.of());
        holder.replace(withoutBindings);
        try {
            JsonNode denied = check("client-1", "publish", "plant/7/temp");

            assertThat(denied.path("allowed").asBoolean()).isFalse();
            assertThat(denied.path("reason").asText()).isNotBlank();
        } finally {
            holder.replace(before);
        }
        assertThat(check("client-1", "publish", "plant/7/temp").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void namesEveryInvalidField() {
        ApiException missing = refused(checks, request("POST", PATH, "{}"), 400, "ValidationFailed");
        assertThat(missing.details()).extracting(ApiException.Detail::target)
                .containsExactly("clientName", "action", "topic");
        assertThat(missing.getMessage()).isEqualTo("3 fields are invalid");

        ApiException wrong = refused(checks, request("POST", PATH,
                "{\"clientName\": \"\", \"action\": \"read\", \"topic\": 5, \"extra\": true}"), 400,
                "ValidationFailed");
        assertThat(wrong.details()).extracting(ApiException.Detail::target, ApiException.Detail::message)
                .containsExactlyInAnyOrder(
                        tuple("clientName", "must not be empty"),
                        tuple("topic", "must be a string"),
                        tuple("action", "must be publish or subscribe"),
                        tuple("extra",
                                "is not a field of an access check (clientName, action, topic)"));

        ApiException notObject = refused(checks, request("POST", PATH, "[1]"), 400, "ValidationFailed");
        assertThat(notObject.details()).extracting(ApiException.Detail::target).containsExactly("body");
        refused(checks, request("POST", PATH, "{\"clientName\": "), 400, "MalformedJson");
        refused(checks, request("POST", PATH, null), 400, "ValidationFailed");
        ApiException twice = refused(checks, request("POST", PATH, "{\"clientName\": \"client-1\", \"action\":"
                + " \"publish\", \"topic\": \"a\", \"topic\": \"b\"}"), 400, "MalformedJson");
        assertThat(twice.details()).extracting(ApiException.Detail::target).containsExactly("topic");
    }

    @Test
    void onlyPostOnTheCollection() {
        refused(checks, request("GET", PATH, null), 405, "MethodNotAllowed");
        refused(checks, request("POST", List.of("accessChecks", "x"), "{}"), 404, "NotFound");
    }

    private static JsonNode check(String client, String action, String topic) {
        String body = MAPPER.createObjectNode().put("clientName", client).put("action", action).put("topic", topic)
                .toString();
        return json(checks, request("POST", PATH, body), 200);
    }

    /** {@code portcullis check-access --config FILE --output json}, the broker's configuration file. */
    private static JsonNode checkAccessCommand(String client, String action, String topic) {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new PortcullisCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(new StringWriter(), true));
        int exitCode = command.execute("check-access", "--config", broker.configFile().toString(), "--client",
                client, "--" + action, topic, "--output", "json");
        assertThat(exitCode).as("check-access exit code").isIn(0, 1);
        try {
            return MAPPER.readTree(out.toString());
        } catch (IOException e) {
            throw new AssertionError("check-access printed no JSON: " + out, e);
        }
    }
}
