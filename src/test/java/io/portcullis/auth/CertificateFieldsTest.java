package io.portcullis.auth;

import io.portcullis.testsupport.TestCertificates;
import io.portcullis.testsupport.TestCertificates.Builder;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateFieldsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 00",
            "1, 01",
            "F, 0F",
            "10, 10",
            "ABC, 0ABC",
            "8F00, 8F00",
            "D1F93C20C1B5C4C6BB9A945C4A54C, 0D1F93C20C1B5C4C6BB9A945C4A54C",
            "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"})
    void serialsAreWrittenInWholeBytesAsOpenSslPrintsThem(String serial, String written) {
        assertThat(CertificateFields.serialHex(new BigInteger(serial, 16))).isEqualTo(written);
    }

    static Stream<Arguments> usages() {
        return Stream.of(
                Arguments.of("clientAuth and serverAuth", leaf(), null),
                Arguments.of("clientAuth only", leaf().extendedKeyUsage(KeyPurposeId.id_kp_clientAuth), null),
                Arguments.of("anyExtendedKeyUsage", leaf().extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage), null),
                Arguments.of("no extended key usage", leaf().extendedKeyUsage(), null),
                Arguments.of("no key usage", leaf().keyUsage(0), null),
                Arguments.of("digitalSignature only", leaf().keyUsage(KeyUsage.digitalSignature), null),
                Arguments.of("serverAuth only (a server certificate)",
                        leaf().extendedKeyUsage(KeyPurposeId.id_kp_serverAuth),
                        "is not for TLS clients: its extended key usage [1.3.6.1.5.5.7.3.1] lacks clientAuth"),
                Arguments.of("codeSigning only", leaf().extendedKeyUsage(KeyPurposeId.id_kp_codeSigning),
                        "is not for TLS clients: its extended key usage [1.3.6.1.5.5.7.3.3] lacks clientAuth"),
                Arguments.of("keyEncipherment only", leaf().keyUsage(KeyUsage.keyEncipherment),
                        "is not for TLS clients: its key usage lacks digitalSignature"),
                Arguments.of("a CA's keyCertSign and cRLSign", leaf().keyUsage(KeyUsage.keyCertSign
                        | KeyUsage.cRLSign), "is not for TLS clients: its key usage lacks digitalSignature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usages")
    void aClientCertificateMustBeForTlsClientsWhenItsUsagesSaySo(String description, Builder certificate,
                                                                String problem) {
        assertThat(CertificateFields.clientUsageProblem(certificate.build().certificate()))
                .isEqualTo(Optional.ofNullable(problem));
    }

    private static Builder leaf() {
        return TestCertificates.certificate("CN=usage");
    }
}
