package io.portcullis.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
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
}
