package io.portcullis.cli.admin;

import io.portcullis.cli.CliRun;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the admin commands find the broker: --url/--cert/--key/--ca, a --profile file, a --dev folder,
 * options overriding either; usage errors (exit 2) naming the option; and exit 9 when the broker
 * cannot be reached or the TLS handshake fails.
 */
class ConnectionOptionsTest {
    private static final String EMPTY_LIST = "{\"value\": []}";

    @TempDir
    static Path directory;
    static FakeAdminServer server;
    static FakeAdminServer.Files files;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeAdminServer.start(directory.resolve("server"));
        files = server.files();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void aYamlProfileResolvesPathsAgainstItsOwnDirectory(@TempDir Path profileDirectory) throws Exception {
        Files.copy(files.adminCertificate(), profileDirectory.resolve("admin.crt"));
        Files.copy(files.adminKey(), profileDirectory.resolve("admin.key"));
        Files.createDirectories(profileDirectory.resolve("trust"));
        Files.copy(files.caFile(), profileDirectory.resolve("trust/ca.pem"));
        Path profile = profileDirectory.resolve("broker.yaml");
        Files.writeString(profile, "url: " + server.url() + "\ncert: admin.crt\nkey: admin.key\nca: trust/ca.pem\n");
        server.answer(200, EMPTY_LIST);

        CliRun run = CliRun.run("client", "list", "--profile", profile.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("NAME");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aJsonProfileWorksAndOptionsOverrideIt(@TempDir Path profileDirectory) throws Exception {
        Path profile = profileDirectory.resolve("broker.json");
        Files.writeString(profile, """
                {"url": "https://127.0.0.1:1", "cert": "%s", "key": "%s", "ca": "%s"}"""
                .formatted(files.adminCertificate(), files.adminKey(), files.otherCaFile()));
        server.answer(200, EMPTY_LIST);

        CliRun run = CliRun.run("session", "list", "--profile", profile.toString(), "--url", server.url(),
                "--ca", files.caFile().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aProfileWithAnUnknownKeyOrNoFileIsAUsageError(@TempDir Path profileDirectory) throws Exception {
        Path profile = profileDirectory.resolve("broker.yaml");
        Files.writeString(profile, "url: " + server.url() + "\ncertificate: admin.crt\n");

        CliRun unknown = CliRun.run("client", "list", "--profile", profile.toString());
        CliRun missing = CliRun.run("client", "list", "--profile", profileDirectory.resolve("none.yaml").toString());

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--profile " + profile, "unknown key 'certificate'");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("none.yaml: the file does not exist");
    }

    @Test
    void aBadUrlInAProfileNamesTheProfileAndItsUrlKeyNotTheOption(@TempDir Path profileDirectory) throws Exception {
        Path profile = profileDirectory.resolve("admin.yaml");
        Files.writeString(profile, "url: http://127.0.0.1:9443\ncert: " + files.adminCertificate() + "\nkey: "
                + files.adminKey() + "\n");

        CliRun fromProfile = CliRun.run("client", "list", "--profile", profile.toString());
        CliRun overridden = CliRun.run("client", "list", "--profile", profile.toString(), "--url", "http://x:1");

        assertThat(fromProfile.exitCode()).isEqualTo(2);
        assertThat(fromProfile.err()).startsWith("profile " + profile.toAbsolutePath().normalize()
                + ": url: http://127.0.0.1:9443: the admin API speaks only TLS").doesNotContain("--url");
        assertThat(overridden.exitCode()).isEqualTo(2);
        assertThat(overridden.err()).startsWith("--url http://x:1: the admin API speaks only TLS");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void devFillsAddressCertificateKeyAndCaFromTheDevFolder(@TempDir Path dev) throws Exception {
        writeDevFolder(dev, "admin:\n  enabled: true\n  bindAddress: 127.0.0.1\n  port: " + server.port() + "\n");
        server.answer(200, EMPTY_LIST);

        CliRun run = CliRun.run("retained", "list", "--dev", dev.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void devReachesAWildcardBindOnLoopback(@TempDir Path dev) throws Exception {
        writeDevFolder(dev, "admin:\n  enabled: true\n  bindAddress: 0.0.0.0\n  port: " + server.port() + "\n");
        server.answer(200, EMPTY_LIST);

        CliRun run = CliRun.run("client", "list", "--dev", dev.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void urlCompletesADevFolderWhoseAdminPortWasPickedAtStart(@TempDir Path dev) throws Exception {
        writeDevFolder(dev, "admin:\n  enabled: true\n  bindAddress: 127.0.0.1\n  port: 0\n");
        server.answer(200, EMPTY_LIST);

        CliRun run = CliRun.run("client", "list", "--dev", dev.toString(), "--url", server.url());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void devNamesWhatIsMissingInTheDevFolder(@TempDir Path dev) throws Exception {
        CliRun noFolder = CliRun.run("client", "list", "--dev", dev.resolve("absent").toString());
        Files.createDirectories(dev);
        CliRun noConfig = CliRun.run("client", "list", "--dev", dev.toString());
        Files.writeString(dev.resolve("portcullis.yaml"), "admin:\n  enabled: true\n  port: 9443\n");
        CliRun noCertificate = CliRun.run("client", "list", "--dev", dev.toString());
        Files.writeString(dev.resolve("portcullis.yaml"), "admin:\n  enabled: false\n");
        CliRun disabled = CliRun.run("client", "list", "--dev", dev.toString());
        Files.writeString(dev.resolve("portcullis.yaml"), "admin:\n  enabled: true\n  port: 0\n");
        CliRun anyPort = CliRun.run("client", "list", "--dev", dev.toString());

        assertThat(List.of(noFolder, noConfig, noCertificate, disabled, anyPort))
                .allSatisfy(run -> assertThat(run.exitCode()).isEqualTo(2));
        assertThat(noFolder.err()).contains("no such directory", "portcullis dev --dir");
        assertThat(noConfig.err()).contains("portcullis.yaml is missing");
        assertThat(noCertificate.err()).contains(dev.resolve("admin/admin.crt") + " is missing");
        assertThat(disabled.err()).contains("admin.enabled: false");
        assertThat(anyPort.err()).contains("admin.port", "add --url https://127.0.0.1:PORT");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void optionsNameWhatIsMissingOrWrong() throws Exception {
        Path notPem = directory.resolve("not-a-key.pem");
        Files.writeString(notPem, "nothing here");
        String cert = files.adminCertificate().toString();
        String key = files.adminKey().toString();

        CliRun noUrl = CliRun.run("client", "list");
        CliRun http = CliRun.run("client", "list", "--url", "http://127.0.0.1:9443", "--cert", cert, "--key", key);
        CliRun withPath = CliRun.run("client", "list", "--url", server.url() + "/api", "--cert", cert, "--key", key);
        CliRun noKey = CliRun.run("client", "list", "--url", server.url(), "--cert", cert);
        CliRun badKey = CliRun.run("client", "list", "--url", server.url(), "--cert", cert, "--key", notPem.toString());
        CliRun otherKey = CliRun.run("client", "list", "--url", server.url(), "--cert", cert,
                "--key", files.deviceKey().toString());
        CliRun both = CliRun.run("client", "list", "--profile", "p.yaml", "--dev", "dev");

        assertThat(List.of(noUrl, http, withPath, noKey, badKey, otherKey, both))
                .allSatisfy(run -> assertThat(run.exitCode()).as(run.err()).isEqualTo(2));
        assertThat(noUrl.err()).contains("give --url https://HOST:PORT, --profile FILE or --dev DIR");
        assertThat(http.err()).contains("--url http://127.0.0.1:9443", "only TLS");
        assertThat(withPath.err()).contains("give only https://HOST:PORT");
        assertThat(noKey.err()).contains("--cert FILE and --key FILE are required");
        assertThat(badKey.err()).contains("--key " + notPem, "unencrypted PEM key");
        assertThat(otherKey.err()).contains("does not belong to the certificate in --cert");
        assertThat(both.err()).contains("--profile and --dev both given");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aTraditionalEcKeyFileIsAccepted(@TempDir Path keyDirectory) throws Exception {
        IssuedCertificate issued = CertificateIssuer.selfSignedClient("traditional");
        Path key = keyDirectory.resolve("traditional.key");
        // The traditional SEC 1 form as 'openssl ecparam -genkey' writes it: curve and public key inside.
        var pkcs8 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(issued.privateKey().getEncoded());
        var ecKey = (java.security.interfaces.ECPrivateKey) issued.privateKey();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ecKey.getParams().getOrder().bitLength(),
                ecKey.getS(), new org.bouncycastle.asn1.DERBitString(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                .getInstance(issued.certificate().getPublicKey().getEncoded()).getPublicKeyData().getBytes()),
                pkcs8.getPrivateKeyAlgorithm().getParameters());
        StringWriter pem = new StringWriter();
        try (var writer = new org.bouncycastle.util.io.pem.PemWriter(pem)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        Files.writeString(key, pem.toString());
        Path certificate = keyDirectory.resolve("traditional.crt");
        PemFiles.writeCertificates(certificate, issued.chain(), false);
        assertThat(pem.toString()).contains("BEGIN EC PRIVATE KEY");

        AdminEndpoint endpoint = new AdminEndpoint(AdminConnectionOptions.baseUrl(server.url(), "--url"),
                certificate, key, files.caFile());

        assertThat(AdminTls.context(endpoint)).isNotNull();
    }

    @Test
    void aRefusedConnectionExitsNine() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }

        CliRun run = CliRun.run("client", "list", "--url", "https://127.0.0.1:" + freePort,
                "--cert", files.adminCertificate().toString(), "--key", files.adminKey().toString(),
                "--ca", files.caFile().toString());

        assertThat(run.exitCode()).isEqualTo(9);
        assertThat(run.err()).contains("Cannot connect to https://127.0.0.1:" + freePort, "connection refused",
                "admin.enabled");
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrustExitsNineWithAHint() {
        CliRun run = CliRun.run("client", "list", "--url", server.url(),
                "--cert", files.deviceCertificate().toString(), "--key", files.deviceKey().toString(),
                "--ca", files.caFile().toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(9);
        assertThat(run.err()).contains(server.url(), "admin certificate", "--cert/--key");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aServerCertificateFromAnotherCaExitsNine() {
        CliRun run = CliRun.run("client", "list", "--url", server.url(),
                "--cert", files.adminCertificate().toString(), "--key", files.adminKey().toString(),
                "--ca", files.otherCaFile().toString());

        assertThat(run.exitCode()).isEqualTo(9);
        assertThat(run.err()).contains("TLS with " + server.url() + " failed", "Check --ca");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void theHostNameIsVerified() {
        // The fake server's certificate names localhost, 127.0.0.1 and ::1 but not this address form.
        String url = "https://127.000.000.001:" + server.port();

        CliRun run = CliRun.run("client", "list", "--url", "https://localhost.localdomain.invalid:" + server.port(),
                "--cert", files.adminCertificate().toString(), "--key", files.adminKey().toString(),
                "--ca", files.caFile().toString());

        assertThat(url).isNotEmpty();
        assertThat(run.exitCode()).isEqualTo(9);
    }

    private static void writeDevFolder(Path dev, String yaml) throws Exception {
        Files.createDirectories(dev.resolve("admin"));
        Files.writeString(dev.resolve("portcullis.yaml"), "mqtt: {}\n" + yaml);
        Files.copy(files.adminCertificate(), dev.resolve("admin/admin.crt"));
        Files.copy(files.adminKey(), dev.resolve("admin/admin.key"));
        Files.copy(files.caFile(), dev.resolve("ca.pem"));
    }
}
