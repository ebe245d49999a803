package io.portcullis.cli.admin;

import io.portcullis.cli.CliRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin API errors through the whole CLI: the exit code and the stderr lines. The full status table is
 * checked without a server in {@link ApiErrorsTest}.
 */
class ApiErrorExitCodesTest {
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

    @ParameterizedTest(name = "HTTP {0} {1} -> exit {2}")
    @CsvSource({
            "400, ValidationFailed, 8",
            "404, NotFound, 6",
            "409, DeclaredInConfiguration, 7",
            "500, InternalError, 10"})
    void mapsTheStatusToAnExitCodeAndPrintsCodeMessageAndDetails(int status, String code, int exitCode) {
        server.answer(status, """
                {"error": {"code": "%s", "message": "1 field is invalid",
                 "details": [{"target": "properties.query", "message": "expected a literal at position 21"}]}}"""
                .formatted(code));

        CliRun run = CliRun.run(server.connectionOptions(), "client-group", "show", "pumps");

        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error " + code + ": 1 field is invalid\n"
                + "  properties.query: expected a literal at position 21\n");
    }

    @ParameterizedTest(name = "HTTP {0} -> exit {1}")
    @CsvSource({"413, 8", "502, 10"})
    void anErrorWithoutTheApiBodyStillMapsByStatus(int status, int exitCode) {
        server.answer(status, "<html>proxy says no</html>");

        CliRun run = CliRun.run(server.connectionOptions(), "client", "delete", "x");

        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.err()).isEqualTo("error HTTP " + status
                + ": DELETE /api/v1/clients/x answered <html>proxy says no</html>\n");
    }

    @Test
    void aSuccessThatIsNotJsonIsAnApiError() {
        server.answer(200, "hello");

        CliRun run = CliRun.run(server.connectionOptions(), "client", "show", "x");

        assertThat(run.exitCode()).isEqualTo(10);
        assertThat(run.err()).contains("not JSON", server.url());
    }

    @Test
    void aListWithoutValueIsAnApiError() {
        server.answer(200, "{\"items\": []}");

        CliRun run = CliRun.run(server.connectionOptions(), "client", "list");

        assertThat(run.exitCode()).isEqualTo(10);
        assertThat(run.err()).contains("without a 'value' array");
    }

    @Test
    void aNextLinkToAnotherHostIsRefused() {
        server.answer(200, "{\"value\": [], \"nextLink\":"
                + " \"https://elsewhere.example:9443/api/v1/clients?skipToken=1\"}");

        CliRun run = CliRun.run(server.connectionOptions(), "client", "list");

        assertThat(run.exitCode()).isEqualTo(10);
        assertThat(run.err()).contains("nextLink leaves");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aNextLinkLoopStops() {
        server.answer(200, "{\"value\": [], \"nextLink\": \"/api/v1/clients?skipToken=1\"}");
        server.answer(200, "{\"value\": [], \"nextLink\": \"/api/v1/clients?skipToken=1\"}");

        CliRun run = CliRun.run(server.connectionOptions(), "client", "list");

        assertThat(run.exitCode()).isEqualTo(10);
        assertThat(run.err()).contains("already read");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aCreateOfAnExistingNameIsAConflict() {
        server.answer(412, "{\"error\": {\"code\": \"PreconditionFailed\", \"message\": \"'pumps' exists\"}}");

        CliRun run = CliRun.run(server.connectionOptions(), "client-group", "create", "pumps", "--query", "q");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err()).isEqualTo("error PreconditionFailed: 'pumps' exists\n");
    }
}
