package io.portcullis.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemFilesTest {

    private static final IssuedCertificate ROOT = CertificateIssuer.rootCa("Root", KeyAlgorithm.EcP256,
            Validity.defaultCa());
    private static final IssuedCertificate INTERMEDIATE = CertificateIssuer.intermediateCa(ROOT, "Intermediate",
            KeyAlgorithm.EcP256, Validity.defaultCa());

    @TempDir
    Path directory;

    @Test
    void chainRoundTripsInOrder() throws Exception {
        IssuedCertificate leaf = CertificateIssuer.client(INTERMEDIATE, "device");
        Path file = directory.resolve("device.crt");

        PemFiles.writeCertificates(file, leaf.chain(), false);

        assertThat(PemFiles.readCertificates(file)).containsExactly(leaf.certificate(), INTERMEDIATE.certificate());
        assertThat(Files.readString(file)).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void privateKeysRoundTripAsPkcs8WithOwnerOnlyPermissions() throws Exception {
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            IssuedCertificate leaf = CertificateIssuer.server(INTERMEDIATE, algorithm);
            Path file = directory.resolve(algorithm + ".key");

            PemFiles.writePrivateKey(file, leaf.privateKey(), false);

            assertThat(PemFiles.readPrivateKey(file)).isEqualTo(leaf.privateKey());
            assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path key = directory.resolve("a.key");
        Path certificate = directory.resolve("a.crt");
        PemFiles.writePrivateKey(key, ROOT.privateKey(), false);
        PemFiles.writeCertificates(certificate, List.of(ROOT.certificate()), false);

        assertThatThrownBy(() -> PemFiles.writePrivateKey(key, INTERMEDIATE.privateKey(), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> PemFiles.writeCertificates(certificate, List.of(INTERMEDIATE.certificate()), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(PemFiles.readPrivateKey(key)).isEqualTo(ROOT.privateKey());
        assertThat(PemFiles.readCertificates(certificate)).containsExactly(ROOT.certificate());
    }

    @Test
    void forceReplacesAndKeepsKeyPermissions() throws Exception {
        Path key = directory.resolve("a.key");
        PemFiles.writePrivateKey(key, ROOT.privateKey(), false);

        PemFiles.writePrivateKey(key, INTERMEDIATE.privateKey(), true);

        assertThat(PemFiles.readPrivateKey(key)).isEqualTo(INTERMEDIATE.privateKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(key);
        }
    }

    @Test
    void readingAFileWithoutCertificatesFails() throws Exception {
        Path file = Files.writeString(directory.resolve("empty.pem"), "nothing here\n");

        assertThatThrownBy(() -> PemFiles.readCertificates(file)).hasMessageContaining("No PEM certificate");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(file)).hasMessageContaining("No unencrypted PEM private key");
    }

    @Test
    void readsAnIssuerWithItsIntermediatesButWithoutTheRoot() throws Exception {
        Path certificate = directory.resolve("intermediate.crt");
        Path key = directory.resolve("intermediate.key");
        PemFiles.writeCertificates(certificate, List.of(INTERMEDIATE.certificate(), ROOT.certificate()), false);
        PemFiles.writePrivateKey(key, INTERMEDIATE.privateKey(), false);

        IssuedCertificate issuer = PemFiles.readIssuedCertificate(certificate, key);

        assertThat(issuer.certificate()).isEqualTo(INTERMEDIATE.certificate());
        assertThat(issuer.privateKey()).isEqualTo(INTERMEDIATE.privateKey());
        assertThat(issuer.intermediates()).isEmpty();
    }

    @Test
    void refusesAnIssuerKeyThatDoesNotBelongToTheCertificate() throws Exception {
        Path certificate = directory.resolve("intermediate.crt");
        Path key = directory.resolve("root.key");
        PemFiles.writeCertificates(certificate, List.of(INTERMEDIATE.certificate()), false);
        PemFiles.writePrivateKey(key, ROOT.privateKey(), false);

        assertThatThrownBy(() -> PemFiles.readIssuedCertificate(certificate, key))
                .hasMessageContaining("does not belong to the certificate");
    }
}
