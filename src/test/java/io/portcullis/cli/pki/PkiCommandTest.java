package io.portcullis.cli.pki;

import io.portcullis.cli.CliRun;
import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CrlIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.Thumbprints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.portcullis.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code portcullis pki} run in-process through picocli with captured output: the files each subcommand
 * writes are read back with the JDK's certificate API, and the exit codes and messages checked.
 */
class PkiCommandTest {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    static Path shared;
    static Path rootCert;
    static Path rootKey;
    static Path intermediateCert;
    static Path intermediateKey;

    @TempDir
    Path directory;

    @BeforeAll
    static void createCas() {
        Path ca = shared.resolve("ca");
        CliRun root = run("pki", "ca", "create", "--out", ca.toString(), "--cn", "Test Root");
        assertThat(root.exitCode()).as(root.err()).isZero();
        rootCert = ca.resolve("ca.crt");
        rootKey = ca.resolve("ca.key");
        CliRun intermediate = run("pki", "intermediate", "create", "--issuer-cert", rootCert.toString(),
                "--issuer-key", rootKey.toString(), "--out", ca.toString(), "--cn", "Test Intermediate");
        assertThat(intermediate.exitCode()).as(intermediate.err()).isZero();
        intermediateCert = ca.resolve("intermediate-ca.crt");
        intermediateKey = ca.resolve("intermediate-ca.key");
    }

    @Test
    void caCreateWritesASelfSignedCaAndAnOwnerOnlyKeyAndPrintsWhatItWrote() throws Exception {
        CliRun run = run("pki", "ca", "create", "--out", directory.toString(), "--name", "root", "--cn", "My Root",
                "--key-type", "rsa-2048", "--days", "100");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        X509Certificate ca = single(directory.resolve("root.crt"));
        ca.verify(ca.getPublicKey());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=My Root");
        assertThat(ca.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(ca.getNotAfter().toInstant()).isCloseTo(Instant.now().plus(Duration.ofDays(100)),
                within(1, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(permissions(directory.resolve("root.key"))).isEqualTo("rw-------");
        assertThat(PemFiles.readIssuedCertificate(directory.resolve("root.crt"), directory.resolve("root.key")))
                .isNotNull();
        assertThat(run.out()).contains("Wrote " + directory.resolve("root.key") + " (private key, mode 0600)",
                "Wrote " + directory.resolve("root.crt"), Thumbprints.thumbprint(ca));
    }

    @Test
    void intermediateIsSignedByItsIssuerWithPathLengthZero() throws Exception {
        X509Certificate intermediate = single(intermediateCert);

        intermediate.verify(single(rootCert).getPublicKey());
        assertThat(intermediate.getBasicConstraints()).isZero();
        assertThat(intermediate.getSubjectX500Principal().getName()).isEqualTo("CN=Test Intermediate");
        assertThat(permissions(intermediateKey)).isEqualTo("rw-------");
    }

    @Test
    void refusesToOverwriteWithoutForceAndReplacesWithForce() throws Exception {
        String[] create = {"pki", "ca", "create", "--out", directory.toString()};
        assertThat(run(create).exitCode()).isZero();
        String before = Files.readString(directory.resolve("ca.crt"));
        String keyBefore = Files.readString(directory.resolve("ca.key"));

        CliRun refused = run(create);

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FILE_EXISTS);
        assertThat(refused.err()).contains("already exist", "--force");
        assertThat(Files.readString(directory.resolve("ca.crt"))).isEqualTo(before);
        assertThat(Files.readString(directory.resolve("ca.key"))).isEqualTo(keyBefore);

        CliRun forced = run("pki", "ca", "create", "--out", directory.toString(), "--force");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(directory.resolve("ca.crt"))).isNotEqualTo(before);
        assertThat(permissions(directory.resolve("ca.key"))).isEqualTo("rw-------");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ec-p384", "rsa-2048"})
    void serverIssueWritesAServerChainWithTheGivenNames(String keyType) throws Exception {
        CliRun run = run("pki", "server", "issue", "--key-type", keyType, "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", intermediateKey.toString(), "--san-dns", "broker.example.com", "--san-dns",
                "localhost", "--san-ip", "127.0.0.1", "--san-ip", "::1", "--out", directory.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String stem = keyType.equals("rsa-2048") ? "server-rsa" : "server-ec";
        List<X509Certificate> chain = PemFiles.readCertificates(directory.resolve(stem + ".crt"));
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(single(intermediateCert));
        X509Certificate server = chain.get(0);
        validate(chain);
        assertThat(server.getPublicKey().getAlgorithm()).isEqualTo(keyType.startsWith("ec") ? "EC" : "RSA");
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=broker.example.com");
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "broker.example.com"), List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(permissions(directory.resolve(stem + ".key"))).isEqualTo("rw-------");
    }

    @Test
    void serverIssueNeedsANameAndAServerKeyType() {
        CliRun noNames = run("pki", "server", "issue", "--issuer-cert", intermediateCert.toString(), "--issuer-key",
                intermediateKey.toString(), "--out", directory.toString());
        CliRun p256 = run("pki", "server", "issue", "--key-type", "ec-p256", "--san-dns", "localhost", "--issuer-cert",
                intermediateCert.toString(), "--issuer-key", intermediateKey.toString(), "--out",
                directory.toString());

        assertThat(noNames.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noNames.err()).contains("--san-dns");
        assertThat(p256.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(p256.err()).contains("ec-p384 or rsa-2048");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void clientIssueWritesEverySanKindAndTheChainAClientPresents() throws Exception {
        CliRun run = run("pki", "client", "issue", "sensor-7", "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", intermediateKey.toString(), "--san-dns", "sensor-7.devices.example.com",
                "--san-uri", "spiffe://example.com/sensor/7", "--san-uri", "urn:dev:sensor-7",
                "--san-ip", "192.0.2.7", "--san-email", "sensor-7@devices.example.com", "--days", "30",
                "--out", directory.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path file = directory.resolve("sensor-7.crt");
        List<X509Certificate> chain = PemFiles.readCertificates(file);
        assertThat(chain).hasSize(2).element(1).isEqualTo(single(intermediateCert));
        X509Certificate client = chain.get(0);
        validate(chain);
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=sensor-7");
        assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(client.getBasicConstraints()).isEqualTo(-1);
        assertThat(client.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "sensor-7.devices.example.com"), List.of(6, "spiffe://example.com/sensor/7"),
                List.of(6, "urn:dev:sensor-7"), List.of(7, "192.0.2.7"), List.of(1, "sensor-7@devices.example.com"));
        assertThat(client.getNotAfter().toInstant()).isCloseTo(Instant.now().plus(Duration.ofDays(30)),
                within(1, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(permissions(directory.resolve("sensor-7.key"))).isEqualTo("rw-------");
        assertThat(run.out()).contains("sensor-7.crt (certificate + 1 intermediate)",
                "Thumbprint: " + Thumbprints.thumbprint(client));

        String openssl = onPath("openssl");
        assumeThat(openssl).as("openssl on PATH").isNotNull();
        Process verify = new ProcessBuilder(openssl, "verify", "-CAfile", rootCert.toString(), "-untrusted",
                file.toString(), "-purpose", "sslclient", file.toString()).redirectErrorStream(true).start();
        assertThat(verify.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains(": OK");
    }

    @Test
    void clientIssueWithDevSignsWithTheDevIntermediate() throws Exception {
        DevPki.Layout dev = DevPki.ensure(directory.resolve("dev"), 1);

        CliRun run = run("pki", "client", "issue", "pump-1", "--dev", dev.directory().toString(), "--key-type",
                "rsa-2048", "--out", directory.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<X509Certificate> chain = PemFiles.readCertificates(directory.resolve("pump-1.crt"));
        assertThat(chain).containsSubsequence(dev.intermediateCertificate());
        chain.get(0).verify(dev.intermediateCertificate().getPublicKey());
        assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void selfSignedClientHasNoIssuerAndPrintsTheThumbprintTheRegistryWants() throws Exception {
        CliRun run = run("pki", "client", "issue", "lamp-1", "--self-signed", "--cert",
                directory.resolve("x/lamp.pem").toString(), "--key", directory.resolve("x/lamp-key.pem").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<X509Certificate> chain = PemFiles.readCertificates(directory.resolve("x/lamp.pem"));
        assertThat(chain).hasSize(1);
        chain.get(0).verify(chain.get(0).getPublicKey());
        assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
        assertThat(permissions(directory.resolve("x/lamp-key.pem"))).isEqualTo("rw-------");
        assertThat(run.out()).contains(Thumbprints.thumbprint(chain.get(0)));
    }

    @Test
    void clientIssueNeedsExactlyOneWayOfSigning() {
        CliRun none = run("pki", "client", "issue", "a", "--out", directory.toString());
        CliRun both = run("pki", "client", "issue", "a", "--self-signed", "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", intermediateKey.toString(), "--out", directory.toString());
        CliRun half = run("pki", "client", "issue", "a", "--issuer-cert", intermediateCert.toString(),
                "--out", directory.toString());

        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("--issuer-cert", "--self-signed");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(half.err()).contains("--issuer-key");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void badInputsAreRefusedWithTheOptionAndAFix() {
        String[] issuer = {"--issuer-cert", intermediateCert.toString(), "--issuer-key", intermediateKey.toString(),
                "--out", directory.toString()};
        CliRun badIp = run(concat(new String[] {"pki", "client", "issue", "a", "--san-ip", "300.1.1.1"}, issuer));
        CliRun badUri = run(concat(new String[] {"pki", "client", "issue", "a", "--san-uri", "no scheme"}, issuer));
        CliRun badEmail = run(concat(new String[] {"pki", "client", "issue", "a", "--san-email", "nobody"}, issuer));
        CliRun badDns = run(concat(new String[] {"pki", "client", "issue", "a", "--san-dns", "bad_name!"}, issuer));
        CliRun badDays = run(concat(new String[] {"pki", "client", "issue", "a", "--days", "0"}, issuer));
        CliRun badType = run(concat(new String[] {"pki", "client", "issue", "a", "--key-type", "dsa"}, issuer));
        CliRun badName = run(concat(new String[] {"pki", "client", "issue", "../a"}, issuer));
        CliRun wrongKey = run("pki", "client", "issue", "a", "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", rootKey.toString(), "--out", directory.toString());
        CliRun leafIssuer = run("pki", "intermediate", "create", "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", intermediateKey.toString(), "--out", directory.toString());
        CliRun missing = run("pki", "client", "issue", "a", "--dev", directory.resolve("nothing").toString(),
                "--out", directory.toString());

        assertThat(badIp.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badIp.err()).contains("--san-ip '300.1.1.1'", "Fix:");
        assertThat(badUri.err()).contains("--san-uri 'no scheme'");
        assertThat(badEmail.err()).contains("--san-email 'nobody'");
        assertThat(badDns.err()).contains("--san-dns 'bad_name!'");
        assertThat(badDays.err()).contains("--days");
        assertThat(badType.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badType.err()).contains("ec-p256, ec-p384, rsa-2048");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongKey.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(wrongKey.err()).contains("does not belong to the certificate");
        assertThat(leafIssuer.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(leafIssuer.err()).contains("path length 0");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(missing.err()).contains("intermediate-ca.crt does not exist", "portcullis dev --dir");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aCommonNameOverSixtyFourCharactersIsAUsageErrorNamingItsSource() {
        String longName = "n".repeat(65);
        String[] issuer = {"--issuer-cert", intermediateCert.toString(), "--issuer-key", intermediateKey.toString(),
                "--out", directory.toString()};

        CliRun client = run(concat(new String[] {"pki", "client", "issue", longName}, issuer));
        CliRun selfSigned = run("pki", "client", "issue", longName, "--self-signed", "--out", directory.toString());
        CliRun ca = run("pki", "ca", "create", "--cn", longName, "--out", directory.toString());
        CliRun intermediate = run(concat(new String[] {"pki", "intermediate", "create", "--cn", longName}, issuer));
        CliRun server = run(concat(new String[] {"pki", "server", "issue", "--san-dns", "localhost", "--cn", longName},
                issuer));
        String longDns = "d".repeat(60) + ".example.com";
        CliRun serverFromDns = run(concat(new String[] {"pki", "server", "issue", "--san-dns", longDns}, issuer));

        for (CliRun run : List.of(client, selfSigned, ca, intermediate, server, serverFromDns)) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("at most 64", "Fix:").doesNotContain("Exception", "\tat ");
            assertThat(run.err().strip()).doesNotContain("\n");
        }
        assertThat(client.err()).startsWith("NAME '" + longName + "' is 65 characters long")
                .contains("SubjectMatchesAuthenticationName", "--san-uri");
        assertThat(ca.err()).startsWith("--cn is 65 characters long");
        assertThat(intermediate.err()).startsWith("--cn is 65 characters long");
        assertThat(server.err()).startsWith("--cn is 65 characters long");
        assertThat(serverFromDns.err()).contains("the first --san-dns, " + longDns, "give --cn TEXT");
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aCommonNameOfExactlySixtyFourCharactersIsIssued() throws Exception {
        String name = "n".repeat(64);

        CliRun run = run("pki", "client", "issue", name, "--self-signed", "--out", directory.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(single(directory.resolve(name + ".crt")).getSubjectX500Principal().getName())
                .isEqualTo("CN=" + name);
    }

    @Test
    void theSameFileForCertificateAndKeyIsRefusedBeforeAnythingIsWritten() {
        Path same = directory.resolve("cl/same.pem");
        String[] issuer = {"--issuer-cert", intermediateCert.toString(), "--issuer-key", intermediateKey.toString()};

        CliRun client = run(concat(new String[] {"pki", "client", "issue", "u3", "--out", directory.resolve("cl")
                .toString(), "--cert", same.toString(), "--key", directory.resolve("cl/../cl/./same.pem").toString()},
                issuer));
        CliRun forced = run("pki", "ca", "create", "--cert", same.toString(), "--key", same.toString(), "--force");
        CliRun intermediate = run(concat(new String[] {"pki", "intermediate", "create", "--cert", same.toString(),
                "--key", same.toString()}, issuer));
        CliRun server = run(concat(new String[] {"pki", "server", "issue", "--san-dns", "localhost", "--cert",
                same.toString(), "--key", same.toString()}, issuer));
        CliRun derived = run("pki", "ca", "create", "--out", directory.toString(), "--key",
                directory.resolve("ca.crt").toString());

        for (CliRun run : List.of(client, forced, intermediate, server)) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("--cert and --key both name", "same.pem", "different files");
        }
        assertThat(derived.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(derived.err()).contains("would both be written to " + directory.resolve("ca.crt"));
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void forceNeverReplacesTheIssuingCasOwnFiles() throws Exception {
        Path caCert = Files.copy(intermediateCert, directory.resolve("icopy.crt"));
        Path caKey = Files.copy(intermediateKey, directory.resolve("icopy.key"));
        byte[] certBefore = Files.readAllBytes(caCert);
        byte[] keyBefore = Files.readAllBytes(caKey);
        String[] issuer = {"--issuer-cert", caCert.toString(), "--issuer-key", caKey.toString(), "--force"};

        CliRun overKey = run(concat(new String[] {"pki", "client", "issue", "same6", "--cert",
                directory.resolve("c6.crt").toString(), "--key", caKey.toString()}, issuer));
        CliRun overCert = run(concat(new String[] {"pki", "server", "issue", "--san-dns", "localhost", "--cert",
                caCert.toString(), "--key", directory.resolve("k8.key").toString()}, issuer));
        CliRun byDefault = run(concat(new String[] {"pki", "intermediate", "create", "--name", "icopy", "--out",
                directory.toString()}, issuer));

        for (CliRun run : List.of(overKey, overCert, byDefault)) {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("is a file of the issuing CA; nothing was written");
        }
        assertThat(Files.readAllBytes(caCert)).isEqualTo(certBefore);
        assertThat(Files.readAllBytes(caKey)).isEqualTo(keyBefore);
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactlyInAnyOrder(caCert, caKey);
        }
    }

    @Test
    void aDanglingSymbolicLinkIsAnExistingFileNotOneThatAppearedWhileWriting() throws Exception {
        Path link = Files.createSymbolicLink(directory.resolve("link.pem"), directory.resolve("missing.pem"));

        CliRun run = run("pki", "client", "issue", "c", "--self-signed", "--cert",
                directory.resolve("c.crt").toString(), "--key", link.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FILE_EXISTS);
        assertThat(run.err()).contains(link + " (a symbolic link) already exists; nothing was written",
                "Fix: add --force");
        assertThat(directory.resolve("c.crt")).doesNotExist();
        assertThat(directory.resolve("missing.pem")).doesNotExist();
    }

    @Test
    void anOutThatIsAFileIsAUsageErrorWithOrWithoutForce() throws Exception {
        Path file = Files.writeString(directory.resolve("afile"), "not a directory");

        CliRun plain = run("pki", "ca", "create", "--out", file.toString());
        CliRun forced = run("pki", "client", "issue", "c", "--self-signed", "--out", file.toString(), "--force");
        CliRun below = run("pki", "ca", "create", "--out", file.resolve("sub").toString());

        assertThat(plain.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(plain.err()).contains("--out " + file + " is not a directory", "nothing was written");
        assertThat(forced.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(forced.err()).contains("--out " + file + " is not a directory");
        assertThat(below.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(below.err()).contains("is not a directory (" + file + " is a file)");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Files.readString(file)).isEqualTo("not a directory");
    }

    @Test
    void thumbprintPrintsTheLeafThumbprintAsTheRegistryStoresIt() throws Exception {
        CliRun issue = run("pki", "client", "issue", "t", "--issuer-cert", intermediateCert.toString(),
                "--issuer-key", intermediateKey.toString(), "--out", directory.toString());
        assertThat(issue.exitCode()).isZero();

        CliRun run = run("pki", "thumbprint", directory.resolve("t.crt").toString());

        assertThat(run.exitCode()).isZero();
        String expected = Thumbprints.thumbprint(PemFiles.readCertificates(directory.resolve("t.crt")).get(0));
        assertThat(run.out().trim()).isEqualTo(expected).matches("[0-9A-F]{64}");
        CliRun missing = run("pki", "thumbprint", directory.resolve("none.crt").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(missing.err()).contains("none.crt does not exist");
        CliRun notPem = run("pki", "thumbprint", directory.resolve("t.key").toString());
        assertThat(notPem.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
    }

    @Test
    void thumbprintHelpNamesTheConfigurationKeysThatTakeIt() {
        CliRun help = run("pki", "thumbprint", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains(
                "clients[].clientCertificateAuthentication.allowedThumbprints", "admin.thumbprints",
                "either case").doesNotContain("clients[].thumbprints");
    }

    @Test
    void revokeWithAnEmptyNameIsAUsageError() throws Exception {
        Path dev = directory.resolve("dev");
        DevPki.ensure(dev, 1);
        byte[] before = Files.readAllBytes(DevPki.crlFile(dev));

        CliRun run = run("pki", "client", "revoke", "", "--dir", dev.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("NAME is empty");
        assertThat(Files.readAllBytes(DevPki.crlFile(dev))).isEqualTo(before);
    }

    @Test
    void revokePutsTheDevClientOnTheDevCrl() throws Exception {
        Path dev = directory.resolve("dev");
        DevPki.Layout layout = DevPki.ensure(dev, 3);
        X509Certificate client3 = single(layout.clients().get(2).files().certificate());
        BigInteger before = CrlIssuer.crlNumber(jdkCrl(layout.crlFile()));

        CliRun run = run("pki", "client", "revoke", "client-3", "--dir", dev.toString());
        CliRun again = run("pki", "client", "revoke", "client-3", "--dir", dev.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Revoked client-3", layout.crlFile().toString(),
                "CRL number " + before.add(BigInteger.ONE),
                "1 revoked certificate");
        X509CRL crl = jdkCrl(layout.crlFile());
        assertThat(crl.isRevoked(client3)).isTrue();
        assertThat(crl.isRevoked(single(layout.clients().get(0).files().certificate()))).isFalse();
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already revoked");
    }

    @Test
    void revokeExplainsAWrongFolderOrClient() throws Exception {
        Path dev = directory.resolve("dev");
        DevPki.ensure(dev, 2);

        CliRun notDev = run("pki", "client", "revoke", "client-1", "--dir", directory.resolve("elsewhere").toString());
        CliRun unknown = run("pki", "client", "revoke", "client-7", "--dir", dev.toString());
        CliRun selfSigned = run("pki", "client", "revoke", "selfsigned-1", "--dir", dev.toString());

        assertThat(notDev.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(notDev.err()).contains("is not a dev folder", "portcullis dev --dir");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(unknown.err()).contains("client-7.crt does not exist", "client-1, client-2");
        assertThat(selfSigned.exitCode()).isEqualTo(ExitCodes.FILE_ERROR);
        assertThat(selfSigned.err()).contains("not issued by the dev intermediate CA", "registry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pki", "pki ca", "pki ca create", "pki intermediate create", "pki server issue",
            "pki client", "pki client issue", "pki client revoke", "pki thumbprint"})
    void everyCommandHasHelp(String command) {
        CliRun run = run(concat(command.split(" "), new String[] {"--help"}));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: portcullis " + command);
    }

    private static X509Certificate single(Path file) throws Exception {
        return PemFiles.readCertificates(file).get(0);
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    /** PKIX validation of a chain file's certificates up to the test root, by the JDK. */
    private static void validate(List<X509Certificate> chain) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(single(rootCert), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    private static X509CRL jdkCrl(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }

    private static String onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
