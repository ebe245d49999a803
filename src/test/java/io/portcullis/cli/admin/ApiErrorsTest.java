package io.portcullis.cli.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The status to exit code table of the admin commands and the stderr lines of an error body. */
class ApiErrorsTest {

    @ParameterizedTest(name = "HTTP {0} -> exit {1}")
    @CsvSource({"400, 8", "413, 8", "414, 8", "415, 8", "431, 8", "404, 6", "409, 7", "412, 7", "405, 10",
            "500, 10", "401, 10", "403, 10", "502, 10", "503, 10"})
    void mapsEachStatusToItsExitCode(int status, int exitCode) {
        assertThat(ApiErrors.exitCode(status)).isEqualTo(exitCode);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "400, ValidationFailed, 8",
            "400, MalformedJson, 8",
            "400, InvalidParameter, 8",
            "404, NotFound, 6",
            "405, MethodNotAllowed, 10",
            "409, Conflict, 7",
            "409, DeclaredInConfiguration, 7",
            "412, PreconditionFailed, 7",
            "413, PayloadTooLarge, 8",
            "415, UnsupportedMediaType, 8",
            "500, InternalError, 10"})
    void printsTheCodeTheMessageAndEachDetail(int status, String code, int exitCode) {
        AdminCommandException failure = ApiErrors.failure(status, "PUT", "/api/v1/clients/a", """
                {"error": {"code": "%s", "message": "2 fields are invalid", "details": [
                  {"target": "properties.state", "message": "expected Enabled or Disabled"},
                  {"target": "properties.attributes.x", "message": "expected a string, integer or array"}]}}"""
                .formatted(code));

        assertThat(failure.exitCode()).isEqualTo(exitCode);
        assertThat(failure.lines()).containsExactly("error " + code + ": 2 fields are invalid",
                "  properties.state: expected Enabled or Disabled",
                "  properties.attributes.x: expected a string, integer or array");
    }

    @ParameterizedTest(name = "body [{0}]")
    @CsvSource(value = {"''|error HTTP 500: GET /p answered without an error body",
            "'not json\nsecond line'|error HTTP 500: GET /p answered not json",
            "'{\"error\": \"text\"}'|error HTTP 500: GET /p answered {\"error\": \"text\"}"}, delimiter = '|')
    void describesABodyThatIsNotTheApiErrorShape(String body, String line) {
        assertThat(ApiErrors.failure(500, "GET", "/p", body).lines()).containsExactly(line);
    }
}
