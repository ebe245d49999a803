package io.portcullis.cli;

import io.portcullis.broker.Configurations;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The dev configuration's revocation and admin sections, and that its YAML passes every load-time check. */
class DevConfigurationTest {
    @TempDir
    static Path directory;
    static DevPki.Layout pki;

    @BeforeAll
    static void createPki() throws Exception {
        pki = DevPki.ensure(directory, 3);
    }

    @Test
    void checksTheDevCrlFailClosed() throws Exception {
        BrokerConfig config = DevConfiguration.build(pki, 8883, 8443, 9443);

        assertThat(config.revocation().crlFiles()).containsExactly(pki.crlFile());
        assertThat(config.revocation().whenUnavailable()).isEqualTo(RevocationFailurePolicy.FailClosed);
        assertThat(config.revocation().isEnabled()).isTrue();
    }

    @Test
    void enablesTheAdminApiOnLoopbackTrustingOnlyTheAdminCa() throws Exception {
        BrokerConfig config = DevConfiguration.build(pki, 8883, 8443, 9555);

        AdminConfig admin = config.admin();
        assertThat(admin.enabled()).isTrue();
        assertThat(admin.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(9555);
        assertThat(admin.caCertificateFiles()).containsExactly(pki.adminCaFile());
        X509Certificate adminCa = PemFiles.readCertificates(pki.adminCaFile()).get(0);
        assertThat(admin.caCertificates()).containsExactly(adminCa);
        assertThat(admin.thumbprints()).isEmpty();
        assertThat(config.caCertificates()).extracting(CaCertificateConfig::certificate).doesNotContain(adminCa);
        assertThat(admin.caCertificates()).doesNotContain(pki.rootCertificate(), pki.intermediateCertificate());
    }

    @Test
    void testsGetAnEphemeralAdminPort() throws Exception {
        assertThat(DevConfiguration.build(pki, 0, 0).admin().port()).isZero();
    }

    @Test
    void yamlLoadsWithEveryCheckAndKeepsTheNewSections() throws Exception {
        Path file = directory.resolve("portcullis.yaml");
        Files.writeString(file, DevConfiguration.yaml(pki, 8883, 8443, 9443), StandardCharsets.UTF_8);

        BrokerConfig loaded = Configurations.load(file).config();

        assertThat(Files.readString(file)).contains("intermediate-ca.crl", "admin/admin-ca.crt");
        assertThat(loaded.revocation().crlFiles()).containsExactly(pki.crlFile().toAbsolutePath().normalize());
        assertThat(loaded.admin().enabled()).isTrue();
        assertThat(loaded.admin().port()).isEqualTo(9443);
        assertThat(loaded.admin().caCertificates())
                .isEqualTo(List.of(PemFiles.readCertificates(pki.adminCaFile()).get(0)));
    }
}
