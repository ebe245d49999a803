package io.portcullis.cli;

import io.portcullis.authorization.AccessExplainer;
import io.portcullis.authorization.AccessExplanation;
import io.portcullis.broker.Configurations;
import io.portcullis.config.LoadedConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/security-model.md true: its worked example is the test resource, loads with every check, grants
 * what the page's table says, and the check-access output the page shows is what the command prints.
 */
class SecurityModelExampleTest {
    private static final Path DOC = Path.of("docs", "security-model.md");

    @TempDir
    static Path directory;
    static Path config;
    static LoadedConfig example;

    @BeforeAll
    static void loadExample() throws Exception {
        config = FleetExample.write(directory);
        example = Configurations.load(config);
    }

    private static String doc() throws Exception {
        return Files.readString(DOC, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void theDocumentShowsTheExampleUnchanged() throws Exception {
        assertThat(doc()).contains("```yaml\n" + FleetExample.yaml() + "```\n");
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            "sensor-0001,       publish,   devices/sensor-0001/telemetry,           sensors-send-telemetry",
            "sensor-0001,       publish,   devices/sensor-0002/telemetry,           DENIED",
            "sensor-0001,       publish,   sites/berlin/alerts,                     sensors-send-alerts",
            "sensor-0001,       publish,   sites/lisbon/alerts,                     DENIED",
            "sensor-0001,       subscribe, devices/sensor-0001/commands/#,          sensors-get-commands",
            "sensor-0001,       subscribe, $share/g/devices/sensor-0001/commands/#, sensors-get-commands",
            "sensor-0001,       subscribe, devices/sensor-0002/commands/#,          DENIED",
            "sensor-0001,       subscribe, devices/+/commands/#,                    DENIED",
            "sensor-0002,       publish,   sites/lisbon/alerts,                     sensors-send-alerts",
            "telemetry-backend, subscribe, devices/+/telemetry,                     backend-read-telemetry",
            "telemetry-backend, publish,   devices/sensor-0002/commands/reboot,     backend-send-commands",
            "telemetry-backend, publish,   devices/sensor-0001/telemetry,           DENIED",
            "telemetry-backend, subscribe, $SYS/#,                                  DENIED",
            "sensor-0001,       subscribe, $SYS/#,                                  DENIED",
    })
    void grantsWhatTheDocumentsTableSays(String client, String operation, String topic, String expected) {
        AccessExplainer explainer = new AccessExplainer();
        AccessExplanation explanation = operation.equals("publish")
                ? explainer.explainPublish(example.registry(), client, topic)
                : explainer.explainSubscribe(example.registry(), client, topic);

        if (expected.equals("DENIED")) {
            assertThat(explanation.decision().allowed()).isFalse();
        } else {
            assertThat(explanation.decision().allowed()).isTrue();
            assertThat(explanation.decision().bindingName()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--publish,   devices/sensor-0001/telemetry, check-access --config portcullis.yaml --client sensor-0001 "
                    + "--publish devices/sensor-0001/telemetry",
            "--subscribe, devices/+/commands/#,          check-access --config portcullis.yaml --client sensor-0001 "
                    + "--subscribe 'devices/+/commands/#'",
    })
    void theDocumentShowsWhatCheckAccessPrints(String operation, String topic, String shownCommand) throws Exception {
        CliRun run = CheckAccessCommandTest.checkAccess(config, "sensor-0001", operation,
                topic);

        assertThat(doc()).contains("$ portcullis " + shownCommand + "\n" + run.out() + "```");
    }
}
