package io.portcullis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link TutorialScript} turns the README tutorial into the script {@code TutorialIT} runs, and that the
 * real README still holds everything the IT replaces (a quick check that needs no broker or mosquitto).
 */
class TutorialScriptTest {
    private static final String README = String.join("\n",
            "# Title",
            "```sh",
            "echo before-the-tutorial",
            "```",
            TutorialScript.HEADING,
            "Prose.",
            "```sh",
            "mkdir fleet-demo && cd fleet-demo",
            "```",
            "```text",
            "echo output-not-a-command",
            "```",
            "```sh",
            "mosquitto_pub -p 8883 -t a",
            "echo 18883 88830",
            "```",
            "## Next section",
            "```sh",
            "echo after-the-tutorial",
            "```");

    @Test
    void takesTheShBlocksOfTheTutorialSectionInOrderAfterStrictMode() {
        assertThat(TutorialScript.fromReadme(README).text()).isEqualTo(String.join("\n",
                "set -euo pipefail",
                "mkdir fleet-demo && cd fleet-demo",
                "mosquitto_pub -p 8883 -t a",
                "echo 18883 88830",
                ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # README                                                      | message
            '# Title'                                                     | has no line
            '## Tutorial: a fleet through the CLI\\nProse only.'          | has no ```sh blocks
            '## Tutorial: a fleet through the CLI\\n```sh\\necho unclosed' | is not closed
            """)
    void refusesAReadmeWithoutAUsableTutorial(String readme, String message) {
        assertThatThrownBy(() -> TutorialScript.fromReadme(readme.replace("\\n", "\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void replacesPortsOnlyAsWholeNumbers() {
        assertThat(TutorialScript.fromReadme(README).replacePort(8883, 40001).text())
                .contains("mosquitto_pub -p 40001 -t a", "echo 18883 88830");
    }

    @Test
    void failsWhenTheTextToReplaceIsGone() {
        TutorialScript script = TutorialScript.fromReadme(README);

        assertThatThrownBy(() -> script.replace("mkdir demo", "cd /tmp"))
                .hasMessageContaining("no longer contains 'mkdir demo'");
        assertThatThrownBy(() -> script.replacePort(9443, 40002)).hasMessageContaining("no longer uses port 9443");
    }

    @Test
    void theReadmeTutorialHoldsWhatTheIntegrationTestReplaces() throws Exception {
        TutorialScript script = TutorialScript.fromReadme(Files.readString(Path.of("README.md")));

        assertThat(script.text()).startsWith("set -euo pipefail\nexport PATH=\"$PWD/bin:$PATH\"");
        assertThat(script.count("mkdir fleet-demo && cd fleet-demo")).isOne();
        assertThat(script.replacePort(8883, 40001).replacePort(9443, 40002).text())
                .doesNotContainPattern("(?<![0-9])(8883|9443)(?![0-9])")
                .contains("port: 40001", "port: 40002", "-p 40001", "url: https://localhost:40002");
        // A broker started by the tutorial is always stopped by PID, so the IT can stop a leftover one too.
        assertThat(script.count("echo $! > broker.pid")).isEqualTo(script.count("portcullis serve "));
    }
}
