package io.portcullis.cli;

import io.portcullis.config.StorageConfig;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code serve} and {@code dev} on a port another broker holds: one line naming the fix, exit code 4. */
class PortInUseIT {
    @TempDir
    static Path directory;

    private static RunningBroker running;

    @BeforeAll
    static void startBroker() throws Exception {
        running = RunningBroker.start(directory.resolve("running"));
    }

    @AfterAll
    static void stopBroker() {
        running.close();
    }

    @Test
    void devNamesTheListenerAndThePortOption() {
        int port = running.mqttsPort();

        Result result = run("dev", "--dir", directory.resolve("dev").toString(), "--mqtts-port",
                String.valueOf(port), "--wss-port", "0");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.LISTEN).isEqualTo(4);
        assertThat(result.err()).isEqualTo("Cannot start listener mqtts on 127.0.0.1:" + port
                + ": Address already in use. Fix: stop the other process on port " + port
                + ", or choose another port with --mqtts-port (0 picks a free one).");
    }

    @Test
    void devNamesTheAdminPortOptionWhenTheAdminPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Result result = run("dev", "--dir", directory.resolve("dev-admin").toString(), "--mqtts-port", "0",
                    "--wss-port", "0", "--admin-port", String.valueOf(port));

            assertThat(result.exitCode()).isEqualTo(ExitCodes.LISTEN);
            assertThat(result.err()).isEqualTo("Cannot start listener admin on 127.0.0.1:" + port
                    + ": Address already in use. Fix: stop the other process on port " + port
                    + ", or choose another port with --admin-port (0 picks a free one).");
        }
    }

    @Test
    void serveNamesTheAdminPortKeyWhenTheAdminPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path config = directory.resolve("running").resolve("serve-admin.yaml");
            RunningBroker.writeConfig(config,
                    DevConfiguration.build(running.pki(), 0, 0, port).withStorage(StorageConfig.MEMORY),
                    directory.resolve("running"));

            Result result = run("serve", "--config", config.toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.LISTEN);
            assertThat(result.err()).isEqualTo("Cannot start listener admin on 127.0.0.1:" + port
                    + ": Address already in use. Fix: stop the other process on port " + port
                    + ", or set admin.port in " + config.toAbsolutePath().normalize() + ".");
        }
    }

    @Test
    void serveNamesTheListenerAndTheConfigurationKey() throws Exception {
        int port = running.webSocketPort();
        Path config = directory.resolve("running").resolve("serve.yaml");
        RunningBroker.writeConfig(config, DevConfiguration.build(running.pki(), 0, port),
                directory.resolve("running"));

        Result result = run("serve", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.LISTEN);
        assertThat(result.err()).isEqualTo("Cannot start listener wss on 127.0.0.1:" + port
                + ": Address already in use. Fix: stop the other process on port " + port
                + ", or set listeners.websocket.port in " + config.toAbsolutePath().normalize() + ".");
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new PortcullisCommand());
        command.setErr(new PrintWriter(err, true));
        // If the port were bound after all, the command would serve until stopped.
        int exitCode = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> command.execute(args));
        return new Result(exitCode, err.toString().strip());
    }

    private record Result(int exitCode, String err) {
    }
}
