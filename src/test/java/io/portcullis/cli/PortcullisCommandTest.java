package io.portcullis.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.portcullis.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code portcullis} itself, run in-process: what it does without a subcommand and with --help. */
class PortcullisCommandTest {
    @Test
    void withoutArgumentsPrintsTheUsageToStandardErrorAndExitsWithUsage() {
        CliRun run = run();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: portcullis").contains("serve", "check-access", "pki");
    }

    @Test
    void helpStillPrintsTheUsageToStandardOutputAndExitsZero() {
        CliRun run = run("--help");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("Usage: portcullis");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "portcullis {0}")
    @ValueSource(strings = {"pki", "pki ca", "pki intermediate", "pki server", "pki client", "client", "session"})
    void aGroupWithoutItsSubcommandIsAUsageErrorToo(String group) {
        CliRun run = run(group.split(" "));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Usage: portcullis " + group);
    }
}
