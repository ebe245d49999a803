package io.portcullis.broker;

import io.portcullis.cli.PortcullisCommand;
import io.portcullis.pki.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
 * the revoke line, run as printed (in the test's JVM, on the same folder), puts client-3's serial on the dev CRL the configuration
 * names, which the JDK then parses.
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
            Optional<String> adminLine = broker.awaitLine(line -> line.contains("portcullis client list"),
                    BROKER_START);
            assertThat(adminLine).as(broker.describe()).hasValueSatisfying(
                    line -> assertThat(line.trim()).isEqualTo("portcullis client list --dev ."));
            Optional<String> revokeLine = broker.awaitLine(line -> line.contains("portcullis pki client revoke"),
                    WAIT);
            assertThat(revokeLine).as(broker.describe()).hasValueSatisfying(
                    line -> assertThat(line.trim()).isEqualTo("portcullis pki client revoke client-3 --dir ."));
            assertThat(Files.readString(directory.resolve("portcullis.yaml")))
                    .contains("pki/intermediate-ca.crl", "admin/admin-ca.crt");
            X509Certificate client3 = PemFiles.readCertificates(directory.resolve("clients/client-3.crt")).get(0);
            assertThat(jdkCrl().getRevokedCertificates()).isNull();

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
        }
    }

    private X509CRL jdkCrl() throws Exception {
        try (InputStream in = Files.newInputStream(directory.resolve("pki/intermediate-ca.crl"))) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }
}
