package io.portcullis.cli.admin;

import io.portcullis.cli.CliRun;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.cli.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code session} and {@code retained} against a fake admin API: paths, query parameters and printing. */
class SessionAndRetainedCommandsTest {
    private static final String ONLINE = """
            {"name": "pump-7", "authenticationName": "pump-7", "connected": true, "protocol": "MQTT 5.0",
             "transport": "mqtts", "remoteAddress": "127.0.0.1:53122", "connectedAt": "2026-12-03T20:00:00Z",
             "sessionExpiryIntervalSeconds": 3600,
             "subscriptions": [{"topicFilter": "plant/#", "qos": 1, "noLocal": false, "retainAsPublished": false,
                                "retainHandling": 0}],
             "queuedMessages": 0, "inflightMessages": 0}""";
    private static final String OFFLINE = """
            {"name": "valve-12", "authenticationName": "valve-12", "connected": false, "protocol": null,
             "transport": null, "remoteAddress": null, "connectedAt": null, "disconnectedAt": "2026-12-03T19:00:00Z",
             "sessionExpiryIntervalSeconds": 86400, "subscriptions": [], "queuedMessages": 42,
             "inflightMessages": 0}""";

    @TempDir
    static Path directory;
    static FakeAdminServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeAdminServer.start(directory);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    private static CliRun run(String... args) {
        return CliRun.run(server.connectionOptions(), args);
    }

    @Test
    void sessionListPrintsConnectedAndOfflineSessions() {
        server.answer(200, "{\"value\": [" + ONLINE + ", " + OFFLINE + "]}");

        CliRun run = run("session", "list", "--filter", "p");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.requests().get(0).rawPathAndQuery()).isEqualTo("/api/v1/sessions?filter=p");
        assertThat(run.out()).isEqualTo("""
                NAME      CONNECTED  PROTOCOL  REMOTE           SUBSCRIPTIONS  QUEUED
                pump-7    yes        MQTT 5.0  127.0.0.1:53122  1              0
                valve-12  no         -         -                0              42
                """);
    }

    @Test
    void sessionShowPrintsEachSubscriptionOnALine() {
        server.answer(200, ONLINE);

        CliRun run = run("session", "show", "pump-7");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("connected: true\n", "remoteAddress: 127.0.0.1:53122\n",
                "subscriptions[0]: topicFilter=plant/# qos=1 noLocal=false retainAsPublished=false retainHandling=0\n",
                "queuedMessages: 0\n");
    }

    @Test
    void sessionDisconnectKeepsOrDiscardsTheSession() {
        server.answer(204, null);
        server.answer(204, null);

        CliRun keep = run("session", "disconnect", "pump-7");
        CliRun discard = run("session", "disconnect", "pump-7", "--discard");

        assertThat(keep.exitCode()).isZero();
        assertThat(keep.out()).isEqualTo("Disconnected 'pump-7'; session kept.\n");
        assertThat(discard.out()).isEqualTo("Disconnected 'pump-7'; session discarded.\n");
        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPathAndQuery()).containsExactly(
                "DELETE /api/v1/sessions/pump-7", "DELETE /api/v1/sessions/pump-7?discard=true");
    }

    @Test
    void sessionDisconnectOfAnUnknownSessionExitsWithNotFound() {
        server.answer(404, "{\"error\": {\"code\": \"NotFound\", \"message\": \"no session 'ghost'\"}}");

        CliRun run = run("session", "disconnect", "ghost");

        assertThat(run.exitCode()).isEqualTo(6);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error NotFound: no session 'ghost'\n");
    }

    @Test
    void retainedListSendsTheTopicFilterEncodedAndDefaultsToEverything() {
        String page = """
                {"value": [{"topic": "plant/7/temp", "qos": 1, "payloadSize": 5, "payloadFormatIndicator": 1,
                            "contentType": "text/plain", "messageExpiryIntervalSeconds": null}]}""";
        server.answer(200, page);
        server.answer(200, page);

        CliRun all = run("retained", "list");
        CliRun filtered = run("retained", "list", "--topic-filter", "plant/+/temp");

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).isEqualTo("""
                TOPIC         QOS  SIZE  CONTENT TYPE  EXPIRY (S)
                plant/7/temp  1    5     text/plain    -
                """);
        assertThat(filtered.exitCode()).isZero();
        assertThat(server.requests()).extracting(FakeAdminServer.Request::rawPathAndQuery).containsExactly(
                "/api/v1/retainedMessages?topicFilter=%23", "/api/v1/retainedMessages?topicFilter=plant%2F%2B%2Ftemp");
    }

    @Test
    void retainedShowAndDeleteSendTheTopicAsOneEncodedSegment() throws Exception {
        String message = """
                {"topic": "plant/7/temp", "qos": 1, "payloadSize": 5, "payloadFormatIndicator": 1,
                 "contentType": null, "messageExpiryIntervalSeconds": 60, "payload": "MjEuNQ==",
                 "responseTopic": null, "correlationData": null,
                 "userProperties": [{"name": "unit", "value": "C"}]}""";
        server.answer(200, message);
        server.answer(200, message);
        server.answer(204, null);

        CliRun show = run("retained", "show", "plant/7/temp");
        CliRun asJson = run("retained", "show", "plant/7/temp", "-o", "json");
        CliRun delete = run("retained", "delete", "plant/7/temp");

        assertThat(show.out()).contains("payload: MjEuNQ==\n", "userProperties[0]: name=unit value=C\n",
                "contentType: -\n");
        assertThat(new JsonMapper().readTree(asJson.out())).isEqualTo(new JsonMapper().readTree(message));
        assertThat(delete.exitCode()).isZero();
        assertThat(delete.out()).isEqualTo("Deleted the retained message of 'plant/7/temp'.\n");
        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPathAndQuery()).containsExactly(
                "GET /api/v1/retainedMessages/plant%2F7%2Ftemp", "GET /api/v1/retainedMessages/plant%2F7%2Ftemp",
                "DELETE /api/v1/retainedMessages/plant%2F7%2Ftemp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"session show|CLIENT_ID", "session disconnect|CLIENT_ID", "retained show|TOPIC",
            "retained delete|TOPIC"})
    void anEmptyClientIdOrTopicIsAUsageErrorBeforeAnyRequest(String commandAndLabel) {
        String[] parts = commandAndLabel.split("\\|");
        String[] command = parts[0].split(" ");

        CliRun run = run(command[0], command[1], "");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo(parts[1] + " is empty: give the "
                + (command[0].equals("session") ? "session's client id" : "retained message's topic") + "\n");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void controlCharactersFromTheBrokerCannotReachTheTerminal() {
        server.answer(200, "{\"value\": [{\"topic\": \"a\\u001b[2Jb\", \"qos\": 0, \"payloadSize\": 0}]}");

        CliRun run = run("retained", "list");

        assertThat(run.out()).doesNotContain("\u001b").contains("a\\u001B[2Jb");
    }

    @Test
    void aBidiOverrideInASessionNameCannotReorderTheTable() {
        server.answer(200, "{\"value\": [{\"name\": \"evil\\u202Egnp\", \"connected\": true}]}");

        CliRun run = run("session", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("\u202E").contains("evil\\u202Egnp");
    }
}
