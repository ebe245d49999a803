package io.portcullis.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code portcullis} itself, run in-process: what it does without a subcommand and with --help. */
class PortcullisCommandTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new PortcullisCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void withoutArgumentsPrintsTheUsageToStandardErrorAndExitsWithUsage() {
        Run run = run();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: portcullis").contains("serve", "check-access", "pki");
    }

    @Test
    void helpStillPrintsTheUsageToStandardOutputAndExitsZero() {
        Run run = run("--help");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("Usage: portcullis");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "portcullis {0}")
    @ValueSource(strings = {"pki", "pki ca", "pki intermediate", "pki server", "pki client", "client", "session"})
    void aGroupWithoutItsSubcommandIsAUsageErrorToo(String group) {
        Run run = run(group.split(" "));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Usage: portcullis " + group);
    }
}
