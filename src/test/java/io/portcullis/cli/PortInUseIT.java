package io.portcullis.cli;

import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * {@code serve} and {@code dev} on a port another broker holds, or on an address this host does not have:
 * one line naming the fix, exit code 4.
 */
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

    @Test
    void serveNamesTheBindAddressKeyWhenTheAddressIsNotThisHosts() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, so no interface of this host has it.
        String foreign = "192.0.2.1";
        try (ServerSocket probe = new ServerSocket()) {
            assertThrows(BindException.class, () -> probe.bind(new InetSocketAddress(foreign, 0)),
                    "this host has " + foreign + ", so the test cannot show the refusal");
        }
        Path config = directory.resolve("running").resolve("serve-foreign.yaml");
        BrokerConfig dev = DevConfiguration.build(running.pki(), 0, 0).withStorage(StorageConfig.MEMORY);
        ListenersConfig listeners = dev.listeners();
        RunningBroker.writeConfig(config, dev.withListeners(new ListenersConfig(new ListenerConfig(true, foreign, 0),
                listeners.websocket(), listeners.acceptLimits())), directory.resolve("running"));

        Result result = run("serve", "--config", config.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.LISTEN);
        assertThat(result.err()).isEqualTo("Cannot start listener mqtts on " + foreign + ":0: " + foreign
                + " is not an address of this host. Fix: set listeners.mqtts.bindAddress in "
                + config.toAbsolutePath().normalize() + " to one of this host's addresses (0.0.0.0 for all IPv4"
                + " addresses).");
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
