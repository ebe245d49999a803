package io.portcullis.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.portcullis.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis check-access} run in-process through picocli on the worked example of
 * docs/security-model.md, checking the printed answer and the exit codes scripts rely on.
 */
class CheckAccessCommandTest {
    @TempDir
    static Path directory;
    static Path config;

    @BeforeAll
    static void writeExample() throws Exception {
        config = FleetExample.write(directory);
    }

    static CliRun checkAccess(Path configFile, String client, String operation, String topic) {
        return run("check-access", "--config", configFile.toString(), "--client", client, operation, topic);
    }

    private static CliRun checkAccess(String client, String operation, String topic) {
        return checkAccess(config, client, operation, topic);
    }

    @Test
    void printsAllowedWithTheGrantingBindingAndExitsZero() {
        CliRun run = checkAccess("sensor-0001", "--publish", "devices/sensor-0001/telemetry");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ALLOWED\n").contains(
                "Member of client groups: $all, sensors.",
                "template 'devices/${client.authenticationName}/telemetry' -> 'devices/sensor-0001/telemetry' "
                        + "matches 'devices/sensor-0001/telemetry'.",
                "Decision: allowed by binding 'sensors-send-telemetry', topic space 'own-telemetry', template "
                        + "'devices/${client.authenticationName}/telemetry'.");
    }

    @Test
    void printsDeniedWhenTheClientIsInNoGroupOfABindingThatWouldMatch() {
        CliRun run = checkAccess("telemetry-backend", "--publish", "devices/sensor-0001/telemetry");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("DENIED\n").contains(
                "Not a member of 'sensors': the client does not match its query: attributes.role = 'sensor'",
                "Binding 'sensors-send-telemetry' (group 'sensors', topic space 'own-telemetry', Publisher):\n"
                        + "  does not apply: the client is not in group 'sensors'.",
                "Decision: denied: no permission binding allows publishing to 'devices/sensor-0001/telemetry'.");
    }

    @Test
    void printsDeniedWhenTheTemplateDoesNotCoverTheFilter() {
        CliRun run = checkAccess("sensor-0001", "--subscribe", "devices/+/commands/#");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("DENIED\n").contains(
                "'devices/sensor-0001/commands/#' matches only some topics of 'devices/+/commands/#', so it does "
                        + "not cover it.",
                "Decision: denied: template 'devices/${client.authenticationName}/commands/#' of topic space "
                        + "'own-commands' (binding 'sensors-get-commands') does not cover every topic of "
                        + "'devices/+/commands/#'");
    }

    @Test
    void checksTheInnerFilterOfASharedSubscription() {
        CliRun run = checkAccess("sensor-0001", "--subscribe", "$share/g/devices/sensor-0001/commands/#");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("checking the inner filter 'devices/sensor-0001/commands/#'",
                "Decision: allowed by binding 'sensors-get-commands'");
        assertThat(checkAccess("sensor-0001", "--subscribe", "$share/g/devices/sensor-0002/commands/#").exitCode())
                .isEqualTo(1);
    }

    @Test
    void printsDeniedForAnUnknownClient() {
        CliRun run = checkAccess("sensor-9999", "--publish", "devices/sensor-9999/telemetry");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).startsWith("DENIED\n")
                .contains("No client is registered with the name or authentication name 'sensor-9999'.");
    }

    @Test
    void anUnknownClientUnderConfigSaysTheFileHoldsNoApiMadeResources() throws Exception {
        CliRun text = checkAccess("pump-7", "--publish", "devices/pump-7/telemetry");
        CliRun json = run("check-access", "--config", config.toString(), "--client", "pump-7", "--publish",
                "devices/pump-7/telemetry", "--output", "json");
        CliRun known = checkAccess("sensor-0001", "--publish", "devices/sensor-0002/telemetry");

        assertThat(text.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(text.out()).contains("No client is registered with the name or authentication name 'pump-7'.",
                "Decision: denied: no client named 'pump-7'.\n--config reads only the configuration file " + config
                        + "; clients, client groups and topic spaces made through the admin API are not in it.",
                "--profile FILE or --dev DIR");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(new JsonMapper().readTree(json.out()).path("explanation").get(2).asText())
                .startsWith("--config reads only the configuration file");
        assertThat(known.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(known.out()).doesNotContain("--config reads only");
    }

    @Test
    void exitsThreeWithFileKeyAndFixOnAnInvalidConfiguration() throws Exception {
        Path invalid = directory.resolve("invalid.yaml");
        Files.writeString(invalid, FleetExample.yaml().replace("attributes.role = 'sensor'",
                "attributes.role = = 'sensor'"), StandardCharsets.UTF_8);

        CliRun run = run("check-access", "--config", invalid.toString(), "--client", "sensor-0001",
                "--publish", "devices/sensor-0001/telemetry");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(invalid.toString(), "clientGroups[0].query", "position 18", "Fix:");
    }

    @Test
    void exitsThreeOnAMissingConfigurationFileAsItsHelpSays() {
        Path missing = directory.resolve("missing.yaml");

        CliRun run = run("check-access", "--config", missing.toString(), "--client", "sensor-0001",
                "--publish", "devices/sensor-0001/telemetry");
        CliRun help = run("check-access", "--help");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(run.err()).contains(missing.toString(), "cannot be read");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Exit codes:", "  3   the --config file is missing, unreadable or invalid");
    }
}
