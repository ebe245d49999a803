package io.portcullis.pki;

import io.portcullis.auth.CertificateFields;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevPkiTest {

    @TempDir
    Path directory;

    @Test
    void createsTheWholeLayoutWithChainsThatValidate() throws Exception {
        DevPki.Layout layout = DevPki.ensure(directory, 2);

        X509Certificate root = PemFiles.readCertificates(directory.resolve("ca.pem")).get(0);
        assertThat(root).isEqualTo(layout.rootCertificate());
        assertThat(layout.caFile()).isEqualTo(directory.resolve("ca.pem"));
        assertThat(directory.resolve("pki/root-ca.key")).exists();
        assertThat(directory.resolve("pki/intermediate-ca.key")).exists();
        assertThat(layout.intermediateCa().certificate()).isEqualTo(directory.resolve("pki/intermediate-ca.crt"));
        assertThat(PemFiles.readCertificates(layout.intermediateCa().certificate()))
                .containsExactly(layout.intermediateCertificate());

        List<X509Certificate> ec = PemFiles.readCertificates(directory.resolve("server/server-ec.crt"));
        List<X509Certificate> rsa = PemFiles.readCertificates(directory.resolve("server/server-rsa.crt"));
        assertThat(ec).hasSize(2).element(1).isEqualTo(layout.intermediateCertificate());
        assertThat(rsa).hasSize(2).element(1).isEqualTo(layout.intermediateCertificate());
        assertThat(ec.get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(rsa.get(0).getPublicKey().getAlgorithm()).isEqualTo("RSA");
        CertificateIssuerTest.validate(ec, root);
        CertificateIssuerTest.validate(rsa, root);

        assertThat(layout.clients()).extracting(DevPki.ClientFiles::name).containsExactly("client-1", "client-2");
        List<X509Certificate> client = PemFiles.readCertificates(directory.resolve("clients/client-2.crt"));
        CertificateIssuerTest.validate(client, root);
        assertThat(client.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=client-2");
        assertThat(PemFiles.readPrivateKey(directory.resolve("clients/client-2.key"))).isNotNull();

        X509Certificate selfSigned = PemFiles.readCertificates(directory.resolve("clients/selfsigned-1.crt")).get(0);
        assertThat(layout.selfSignedThumbprint()).isEqualTo(Thumbprints.thumbprint(selfSigned));

        for (Path key : List.of(directory.resolve("pki/root-ca.key"), layout.serverEc().privateKey(),
                layout.serverRsa().privateKey(), layout.clients().get(0).files().privateKey())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
    }

    @Test
    void reusesExistingFilesAndAddsClientsWhenCountGrows() throws Exception {
        DevPki.Layout first = DevPki.ensure(directory, 1);
        String serverEc = Files.readString(first.serverEc().certificate());

        DevPki.Layout second = DevPki.ensure(directory, 3);

        assertThat(second.rootCertificate()).isEqualTo(first.rootCertificate());
        assertThat(second.intermediateCertificate()).isEqualTo(first.intermediateCertificate());
        assertThat(Files.readString(second.serverEc().certificate())).isEqualTo(serverEc);
        assertThat(second.clients().get(0)).isEqualTo(first.clients().get(0));
        assertThat(second.clients()).hasSize(3);
        assertThat(second.selfSignedThumbprint()).isEqualTo(first.selfSignedThumbprint());
    }

    @Test
    void refusesAKeyWithoutItsCertificate() throws Exception {
        DevPki.ensure(directory, 1);
        Files.delete(directory.resolve("clients/client-1.crt"));

        assertThatThrownBy(() -> DevPki.ensure(directory, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client-1.key");
    }

    @Test
    void refusesACertificateNotSignedByTheIntermediateBesideIt() throws Exception {
        DevPki.ensure(directory, 1);
        IssuedCertificate stranger = CertificateIssuer.selfSignedClient("stranger");
        PemFiles.writeCertificates(directory.resolve("clients/client-1.crt"), stranger.chain(), true);

        assertThatThrownBy(() -> DevPki.ensure(directory, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not signed by");
    }

    @Test
    void writesAnEmptyCrlForTheIntermediateAndASeparateAdminCa() throws Exception {
        DevPki.Layout layout = DevPki.ensure(directory, 1);

        assertThat(layout.crlFile()).isEqualTo(directory.resolve("pki/intermediate-ca.crl"));
        X509CRL crl = jdkCrl(layout.crlFile());
        crl.verify(layout.intermediateCertificate().getPublicKey());
        assertThat(crl.getRevokedCertificates()).isNull();
        assertThat(crl.getNextUpdate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));

        assertThat(layout.adminCaFile()).isEqualTo(directory.resolve("admin/admin-ca.crt"));
        assertThat(layout.adminCa().privateKey()).isEqualTo(directory.resolve("pki/admin-ca.key"));
        assertThat(layout.adminClient())
                .isEqualTo(new DevPki.CertificateFiles(directory.resolve("admin/admin.crt"),
                        directory.resolve("admin/admin.key")));
        X509Certificate adminCa = PemFiles.readCertificates(layout.adminCaFile()).get(0);
        List<X509Certificate> admin = PemFiles.readCertificates(layout.adminClient().certificate());
        CertificateIssuerTest.validate(admin, adminCa);
        assertThat(admin.get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        // A device certificate must never chain to the admin CA, nor the admin certificate to the device root.
        assertThat(adminCa).isNotEqualTo(layout.rootCertificate());
        assertThatThrownBy(() -> CertificateIssuerTest.validate(admin, layout.rootCertificate()))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> CertificateIssuerTest.validate(
                PemFiles.readCertificates(layout.clients().get(0).files().certificate()), adminCa))
                .isInstanceOf(Exception.class);
        for (Path key : List.of(layout.adminCa().privateKey(), layout.adminClient().privateKey())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
    }

    @Test
    void keepsACurrentCrlAndReissuesOneCloseToItsNextUpdateWithItsEntries() throws Exception {
        DevPki.Layout layout = DevPki.ensure(directory, 3);
        DevPki.revokeClient(directory, "client-3");
        X509CRL revoked = jdkCrl(layout.crlFile());

        DevPki.ensure(directory, 3);
        assertThat(jdkCrl(layout.crlFile())).isEqualTo(revoked);

        IssuedCertificate intermediate = PemFiles.readIssuedCertificate(layout.intermediateCa().certificate(),
                layout.intermediateCa().privateKey());
        X509CRL aboutToExpire = CrlIssuer.reissue(revoked, intermediate, Duration.ofDays(6));
        PemFiles.writeCrl(layout.crlFile(), aboutToExpire, true);

        DevPki.ensure(directory, 3);

        X509CRL renewed = jdkCrl(layout.crlFile());
        renewed.verify(layout.intermediateCertificate().getPublicKey());
        assertThat(CrlIssuer.crlNumber(renewed)).isEqualTo(CrlIssuer.crlNumber(aboutToExpire).add(BigInteger.ONE));
        assertThat(renewed.getNextUpdate().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));
        assertThat(renewed.isRevoked(clientCertificate("client-3"))).isTrue();
    }

    @Test
    void revokeClientAddsItsSerialOnceAndKeepsEarlierEntries() throws Exception {
        DevPki.Layout layout = DevPki.ensure(directory, 3);

        DevPki.Revocation first = DevPki.revokeClient(directory, "client-2");
        DevPki.Revocation second = DevPki.revokeClient(directory, "client-3");
        DevPki.Revocation again = DevPki.revokeClient(directory, "client-3");

        assertThat(first.alreadyRevoked()).isFalse();
        assertThat(second.serial()).isEqualTo(clientCertificate("client-3").getSerialNumber());
        assertThat(again.alreadyRevoked()).isTrue();
        X509CRL crl = jdkCrl(layout.crlFile());
        assertThat(crl).isEqualTo(second.crl());
        assertThat(crl.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
                .containsExactlyInAnyOrder(clientCertificate("client-2").getSerialNumber(),
                        clientCertificate("client-3").getSerialNumber());
        assertThat(crl.isRevoked(clientCertificate("client-1"))).isFalse();
        assertThat(CrlIssuer.crlNumber(crl)).isEqualTo(CrlIssuer.crlNumber(first.crl()).add(BigInteger.ONE));
    }

    @Test
    void revokeLineWritesTheSerialInUpperCaseHexAsTheCliAndDocsDo() throws Exception {
        DevPki.ensure(directory, 3);
        Logger logger = (Logger) LoggerFactory.getLogger(DevPki.class);
        Level previous = logger.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.setLevel(Level.INFO);
        logger.addAppender(lines);
        try {
            DevPki.revokeClient(directory, "client-2");
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(previous);
        }

        String serial = CertificateFields.serialHex(clientCertificate("client-2").getSerialNumber());
        assertThat(serial).matches(".*[A-F].*");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.startsWith("Revoked dev client certificate: name=client-2 serial=" + serial
                        + " "));
    }

    @Test
    void revokeClientRefusesSelfSignedUnknownAndPathLikeNames() throws Exception {
        DevPki.ensure(directory, 1);

        assertThatThrownBy(() -> DevPki.revokeClient(directory, "selfsigned-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not issued by the dev");
        assertThatThrownBy(() -> DevPki.revokeClient(directory, "client-9"))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("client-9.crt");
        assertThatThrownBy(() -> DevPki.revokeClient(directory, "../pki/intermediate-ca"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private X509Certificate clientCertificate(String name) throws Exception {
        return PemFiles.readCertificates(directory.resolve("clients/" + name + ".crt")).get(0);
    }

    /** Parsed by the JDK, not by our own reader. */
    private static X509CRL jdkCrl(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }
}
