package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Attempt;
import io.portcullis.broker.TlsAuthProbe.Connection;
import io.portcullis.broker.TlsAuthProbe.MqttsConnection;
import io.portcullis.cli.PortcullisCommand;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis dev} run in its own JVM from its folder prints the admin CLI line and the revoke line;
 * the revoke line, run as printed (in the test's JVM, on the same folder) while that broker runs, puts
 * client-3's serial on the dev CRL the configuration names, which the JDK then parses, and the running broker
 * takes it without a restart: client-3's open MQTT 5 session gets DISCONNECT 0x87, its next connection fails
 * in the TLS handshake (or, when it resumes a TLS session, at CONNECT with 0x87), and client-1 still connects.
 */
class DevClientRevokeIT {
    private static final Duration BROKER_START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void printedRevokeLinePutsClient3OnTheDevCrl() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> portcullis = List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.PortcullisCommand");
        List<String> dev = new ArrayList<>(portcullis);
        dev.addAll(List.of("dev", "--dir", directory.toString(), "--mqtts-port", "0", "--wss-port", "0",
                "--admin-port", "0"));

        try (ChildProcess broker = ChildProcess.start(dev, directory)) {
            int port = Integer.parseInt(printedValue(broker, "MQTT over TLS:").replace("localhost:", ""));
            Path ca = directory.resolve(printedValue(broker, "Trust this CA:"));
            Optional<String> adminLine = broker.awaitLine(line -> line.contains("bin/portcullis client list"),
                    BROKER_START);
            // The admin port was picked at start (--admin-port 0), so the line names it with --url.
            assertThat(adminLine).as(broker.describe()).hasValueSatisfying(line -> assertThat(line.trim())
                    .matches("bin/portcullis client list --dev \\. --url https://127\\.0\\.0\\.1:[0-9]+"));
            Optional<String> revokeLine = broker.awaitLine(
                    line -> line.contains("bin/portcullis pki client revoke"), WAIT);
            assertThat(revokeLine).as(broker.describe()).hasValueSatisfying(line -> assertThat(line.trim())
                    .isEqualTo("bin/portcullis pki client revoke client-3 --dir ."));
            assertThat(Files.readString(directory.resolve("portcullis.yaml")))
                    .contains("pki/intermediate-ca.crl", "admin/admin-ca.crt");
            X509Certificate client3 = PemFiles.readCertificates(directory.resolve("clients/client-3.crt")).get(0);
            assertThat(jdkCrl().getRevokedCertificates()).isNull();
            SSLContext client3Context = devClientContext("client-3", ca);
            Connection session = connect(port, client3Context, "dev-client-3").connection();

            // The printed line, run in this JVM (a second JVM start would double the test's time); its "."
            // is the dev folder the broker runs in.
            String[] printed = revokeLine.get().trim().split(" ");
            List<String> arguments = new ArrayList<>(Arrays.asList(printed).subList(1, printed.length));
            arguments.set(arguments.size() - 1, directory.toString());
            StringWriter out = new StringWriter();
            int exitCode = new CommandLine(new PortcullisCommand()).setOut(new PrintWriter(out, true))
                    .execute(arguments.toArray(String[]::new));
            assertThat(exitCode).as(out.toString()).isZero();
            assertThat(out.toString()).contains("Revoked client-3");

            X509CRL crl = jdkCrl();
            assertThat(crl.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
                    .containsExactly(client3.getSerialNumber());
            assertThat(crl.isRevoked(client3)).isTrue();
            crl.verify(PemFiles.readCertificates(directory.resolve("pki/intermediate-ca.crt")).get(0).getPublicKey());

            // The running broker re-reads the CRL on its own: no restart, no signal.
            try {
                MqttPacket packet = session.receive(WAIT);
                assertThat(packet).as(broker.describe()).isInstanceOfSatisfying(Disconnect.class, disconnect -> {
                    assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                    assertThat(disconnect.reasonString()).isEqualTo("client certificate revoked");
                });
            } finally {
                session.close();
            }
            // A fresh TLS context makes a full handshake, which the revocation check in the trust manager fails.
            SSLContext fresh = devClientContext("client-3", ca);
            Attempt again = TlsAuthProbe.connect(() -> MqttsConnection.open(port, fresh, MqttVersion.V5,
                    socket -> { }), TlsAuthProbe.connect(MqttVersion.V5, "dev-client-3-again", null));
            assertThat(again.connack()).as("CONNACK for a revoked certificate").isNull();
            assertThat(again.tlsFailure()).as("TLS failure").isNotNull();
            // The session's own context may resume its TLS session, which skips the trust manager: CONNECT refuses.
            Attempt resumed = TlsAuthProbe.connect(() -> MqttsConnection.open(port, client3Context, MqttVersion.V5,
                    socket -> { }), TlsAuthProbe.connect(MqttVersion.V5, "dev-client-3-resumed", null));
            if (resumed.connack() != null) {
                assertThat(resumed.connack().reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
                resumed.connection().close();
            } else {
                assertThat(resumed.tlsFailure()).as("TLS failure").isNotNull();
            }
            assertThat(broker.awaitLine(line -> line.contains("TLS handshake failed")
                    && line.contains("'CN=client-3'") && line.contains("is revoked"), WAIT)).as(broker.describe())
                    .isPresent();
            connect(port, devClientContext("client-1", ca), "dev-client-1").connection().close();
        }
    }

    /** The text after {@code label} on the line of the dev broker's instructions that holds it. */
    private static String printedValue(ChildProcess broker, String label) throws InterruptedException {
        Optional<String> line = broker.awaitLine(text -> text.contains(label), BROKER_START);
        assertThat(line).as(broker.describe()).isPresent();
        return line.get().substring(line.get().indexOf(label) + label.length()).trim();
    }

    private SSLContext devClientContext(String name, Path ca) throws Exception {
        Path clients = directory.resolve("clients");
        return RunningBroker.sslContext(PemFiles.readCertificates(clients.resolve(name + ".crt")),
                PemFiles.readPrivateKey(clients.resolve(name + ".key")), ca);
    }

    /** An MQTT 5 connection accepted with CONNACK 0. */
    private static Attempt connect(int port, SSLContext context, String clientId) {
        Attempt attempt = TlsAuthProbe.connect(() -> MqttsConnection.open(port, context, MqttVersion.V5,
                socket -> { }), TlsAuthProbe.connect(MqttVersion.V5, clientId, null));
        assertThat(attempt.tlsFailure()).as("TLS failure").isNull();
        assertThat(attempt.connack().reasonCode()).as("CONNACK code").isZero();
        return attempt;
    }

    private X509CRL jdkCrl() throws Exception {
        try (InputStream in = Files.newInputStream(directory.resolve("pki/intermediate-ca.crl"))) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }
}
