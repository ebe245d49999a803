package io.portcullis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Runs the README's "Tutorial: a fleet through the CLI" as a new user would: its {@code sh} blocks, in order,
 * as one bash script from the repository root, with {@code bin/portcullis} on the jar the package phase built.
 * Only three things change: the tutorial folder is made inside a temporary directory, and the MQTT and admin
 * ports (8883, 9443) become free ephemeral ones. The assertions are the outcomes the tutorial promises: a
 * permitted message received, denials reported, a kicked and a disabled subscriber disconnected, and the
 * API-made resources present after a restart. Skipped when the mosquitto clients are not installed.
 */
class TutorialIT {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    void readmeTutorialRunsAsWritten() throws Exception {
        assumeThat(onPath("mosquitto_pub")).as("mosquitto_pub on PATH (apt-get install mosquitto-clients)")
                .isPresent();
        Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        assertThat(root.resolve("target/portcullis.jar")).as("built by the package phase before the ITs")
                .isRegularFile();
        int mqttPort = freePort();
        int adminPort = freePort();
        while (adminPort == mqttPort) {
            adminPort = freePort();
        }
        TutorialScript script = TutorialScript.fromReadme(Files.readString(root.resolve("README.md")))
                .replace("mkdir fleet-demo && cd fleet-demo",
                        "cd '" + directory + "' && mkdir fleet-demo && cd fleet-demo")
                .replacePort(8883, mqttPort)
                .replacePort(9443, adminPort);
        Path scriptFile = Files.writeString(directory.resolve("tutorial.sh"), script.text());
        Path outputFile = directory.resolve("tutorial.out");
        Path demo = directory.resolve("fleet-demo");

        Process bash = new ProcessBuilder("bash", scriptFile.toString()).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(outputFile.toFile()).start();
        int exitCode;
        try {
            boolean finished = bash.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(finished).as("the tutorial ends within %s; it printed:%n%s", SCRIPT_TIMEOUT,
                    read(outputFile)).isTrue();
            exitCode = bash.exitValue();
        } finally {
            stop(bash, demo);
        }

        String output = read(outputFile);
        String report = "tutorial script:\n" + script.text() + "\nit printed:\n" + output
                + "\nbroker.log:\n" + read(demo.resolve("broker.log"));
        assertThat(exitCode).as(report).isZero();
        // The permitted retained publish reaches the dashboard once its binding exists (and again in the
        // background subscribers); the publish to another line's topic and the dashboard without any
        // binding are refused.
        assertThat(output).as(report)
                .contains("plant/7/pump-7/telemetry {\"temp\": 21.5}")
                .contains("Warning: Publish 1 failed: Not authorized.",
                        "not authorized to publish to topic plant/8/pump-7/telemetry")
                .contains("Connection error: Not authorized", "mosquitto_sub exit status 135")
                .contains("DENIED", "check-access exit status 1");
        // Sessions: listed while connected, kicked with the session kept.
        assertThat(output).as(report)
                .containsPattern("(?m)^dashboard-1\\s+yes\\s+MQTT 5\\.0")
                .contains("Disconnected 'dashboard-1'; session kept.", "mosquitto_sub has ended")
                .containsPattern("(?m)^dashboard-1\\s+no\\s+-\\s+-\\s+1\\s+0$");
        // The disabled client's subscriber is disconnected and its reconnect refused.
        assertThat(output).as(report)
                .contains("mosquitto_sub exit status 5", "Connection error: Connection Refused: not authorised.")
                .contains("reason=\"client disabled\"");
        // After the restart: the API-made clients and bindings, with their last state and origin api.
        assertThat(output).as(report)
                .containsPattern("(?m)^pump-7\\s+pump-7\\s+Enabled\\s+SubjectMatchesAuthenticationName\\s+api$")
                .containsPattern("(?m)^dashboard\\s+dashboard\\s+Disabled\\s+SubjectMatchesAuthenticationName\\s+api$")
                .containsPattern("(?m)^pumps-publish\\s+pumps\\s+pump-telemetry\\s+Publisher\\s+api$")
                .containsPattern("(?m)^dashboards-subscribe\\s+dashboards\\s+all-telemetry\\s+Subscriber\\s+api$");
        // The clean-up line removed the tutorial folder.
        assertThat(demo).as(report).doesNotExist();
    }

    /**
     * Stops what the script started: its own children if it is still running, then the broker and the
     * subscribers whose pid files it left behind (they outlive the script when it stops early).
     */
    private static void stop(Process bash, Path demo) throws IOException, InterruptedException {
        List<ProcessHandle> started = new ArrayList<>(bash.descendants().toList());
        started.add(bash.toHandle());
        if (Files.isDirectory(demo)) {
            try (Stream<Path> files = Files.list(demo)) {
                for (Path pidFile : files.filter(file -> file.toString().endsWith(".pid")).toList()) {
                    String pid = Files.readString(pidFile).trim();
                    if (pid.matches("[0-9]{1,10}")) {
                        ProcessHandle.of(Long.parseLong(pid)).filter(TutorialIT::isTutorialProcess)
                                .ifPresent(started::add);
                    }
                }
            }
        }
        started.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : started) {
            try {
                process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                process.destroyForcibly();
            }
        }
    }

    /** A pid file's process is the tutorial's only if it is the broker's JVM or a mosquitto client. */
    private static boolean isTutorialProcess(ProcessHandle process) {
        return process.isAlive() && process.info().command()
                .map(command -> command.endsWith("/java") || command.contains("mosquitto_"))
                .orElse(false);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(":")).map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable).findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no " + file.getFileName() + ")";
    }
}
