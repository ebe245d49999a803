package io.portcullis.pki;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ThumbprintsTest {

    @Test
    void thumbprintIsUpperCaseHexSha256OfDer() throws Exception {
        IssuedCertificate certificate = CertificateIssuer.selfSignedClient("device");

        String thumbprint = Thumbprints.thumbprint(certificate.certificate());

        assertThat(thumbprint).matches("[0-9A-F]{64}");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded());
        assertThat(HexFormat.of().parseHex(thumbprint)).isEqualTo(expected);
    }

    @Test
    void differentCertificatesHaveDifferentThumbprints() {
        assertThat(Thumbprints.thumbprint(CertificateIssuer.selfSignedClient("a").certificate()))
                .isNotEqualTo(Thumbprints.thumbprint(CertificateIssuer.selfSignedClient("a").certificate()));
    }
}
