package io.portcullis.broker;

import io.portcullis.conformance.Packets;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing the broker (what the SIGTERM hook does): MQTT 5 clients hear 0x8B first, 3.1.1 clients are closed. */
class ShutdownIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration BROKER_START = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void connectedClientsAreToldTheServerIsShuttingDown() throws Exception {
        RunningBroker broker = RunningBroker.start(directory);
        try (RawMqttClient v5 = RawMqttClient.open(broker.clientSslContext("client-1"), broker.mqttsPort(),
                MqttVersion.V5);
             RawMqttClient v311 = RawMqttClient.open(broker.clientSslContext("client-2"), broker.mqttsPort(),
                     MqttVersion.V3_1_1)) {
            Connack accepted5 = v5.connect(Packets.connect(MqttVersion.V5, "shutdown-5").build(), WAIT);
            Connack accepted311 = v311.connect(Packets.connect(MqttVersion.V3_1_1, "shutdown-311").build(), WAIT);
            assertThat(accepted5.reasonCode()).isZero();
            assertThat(accepted311.reasonCode()).isZero();

            broker.close();

            assertThat(v5.expectPacket(Disconnect.class, WAIT).reasonCode())
                    .isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
            v5.expectClosed(WAIT);
            v311.expectClosed(WAIT);
        } finally {
            broker.close();
        }
    }

    @Test
    void sigtermDisconnectsClientsAndExitsWithStatus143() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.PortcullisCommand", "dev", "--dir", directory.toString(),
                "--mqtts-port", "0", "--wss-port", "0");

        try (ChildProcess process = ChildProcess.start(command, directory)) {
            Optional<String> address = process.awaitLine(line -> line.contains("MQTT over TLS:"), BROKER_START);
            assertThat(address).as(process.describe()).isPresent();
            int port = Integer.parseInt(address.get().substring(address.get().lastIndexOf(':') + 1).trim());
            SSLContext tls = RunningBroker.sslContext(
                    PemFiles.readCertificates(directory.resolve("clients/client-1.crt")),
                    PemFiles.readPrivateKey(directory.resolve("clients/client-1.key")), directory.resolve("ca.pem"));
            try (RawMqttClient client = RawMqttClient.open(tls, port, MqttVersion.V5)) {
                assertThat(client.connect(Packets.connect(MqttVersion.V5, "sigterm").build(), WAIT).reasonCode())
                        .isZero();

                process.terminate();

                assertThat(client.expectPacket(Disconnect.class, WAIT).reasonCode())
                        .isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
                // The JVM ends a process stopped by SIGTERM with 128 + 15 once the shutdown hook has run.
                assertThat(process.awaitExit(WAIT)).as(process.describe()).contains(143);
            }
        }
    }
}
