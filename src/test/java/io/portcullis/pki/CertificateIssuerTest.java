package io.portcullis.pki;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateIssuerTest {

    private static IssuedCertificate root;
    private static IssuedCertificate intermediate;

    @BeforeAll
    static void issueCas() {
        root = CertificateIssuer.rootCa("Test Root", KeyAlgorithm.EcP384, Validity.defaultCa());
        intermediate = CertificateIssuer.intermediateCa(root, "Test Intermediate", KeyAlgorithm.EcP384,
                Validity.defaultCa());
    }

    @Test
    void rootIsSelfSignedCaWithCertificateSigningUsage() throws Exception {
        X509Certificate certificate = root.certificate();

        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(certificate.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(root.intermediates()).isEmpty();
    }

    @Test
    void intermediateHasPathLengthZeroAndKeyIdentifiers() {
        X509Certificate certificate = intermediate.certificate();

        assertThat(certificate.getBasicConstraints()).isZero();
        assertThat(certificate.getExtensionValue("2.5.29.14")).as("subject key identifier").isNotNull();
        assertThat(certificate.getExtensionValue("2.5.29.35")).as("authority key identifier").isNotNull();
        assertThat(intermediate.intermediates()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void serverCertificateChainsToRootWithLocalhostNames(KeyAlgorithm algorithm) throws Exception {
        IssuedCertificate server = CertificateIssuer.server(intermediate, algorithm);

        validate(server.chain(), root.certificate());
        assertThat(server.chain()).containsExactly(server.certificate(), intermediate.certificate());
        assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.certificate().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.certificate().getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void keyAlgorithmsHaveTheRequestedSizes() {
        IssuedCertificate rsa = CertificateIssuer.server(intermediate, KeyAlgorithm.Rsa2048);
        IssuedCertificate p384 = CertificateIssuer.server(intermediate, KeyAlgorithm.EcP384);
        IssuedCertificate p256 = CertificateIssuer.server(intermediate, KeyAlgorithm.EcP256);

        assertThat(((RSAPublicKey) rsa.certificate().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((ECPublicKey) p384.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(384);
        assertThat(((ECPublicKey) p256.certificate().getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
    }

    @Test
    void rsaIssuerSignsWithSha256() {
        IssuedCertificate rsaRoot = CertificateIssuer.rootCa("RSA Root", KeyAlgorithm.Rsa2048, Validity.defaultCa());
        IssuedCertificate client = CertificateIssuer.client(rsaRoot, "device-1");

        assertThat(client.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(client.intermediates()).isEmpty();
    }

    @Test
    void clientCertificateCarriesCommonNameAndEverySanKind() throws Exception {
        SubjectAltNames names = new SubjectAltNames(List.of("pump-3.fleet.example"), List.of("10.0.0.7"),
                List.of("urn:device:pump-3"), List.of("pump-3@fleet.example"));

        IssuedCertificate client = CertificateIssuer.client(intermediate, "pump-3", KeyAlgorithm.EcP256, names,
                Validity.defaultLeaf());

        validate(client.chain(), root.certificate());
        assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=pump-3");
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(client.certificate().getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "pump-3.fleet.example"), List.of(7, "10.0.0.7"), List.of(6, "urn:device:pump-3"),
                List.of(1, "pump-3@fleet.example"));
    }

    @Test
    void selfSignedClientVerifiesWithItsOwnKeyAndIsNotCa() throws Exception {
        IssuedCertificate client = CertificateIssuer.selfSignedClient("lonely");

        client.certificate().verify(client.certificate().getPublicKey());
        assertThat(client.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void serialsArePositive128BitAndDistinct() {
        IssuedCertificate first = CertificateIssuer.client(intermediate, "a");
        IssuedCertificate second = CertificateIssuer.client(intermediate, "a");

        assertThat(first.certificate().getSerialNumber().signum()).isPositive();
        assertThat(first.certificate().getSerialNumber().bitLength()).isEqualTo(128);
        assertThat(first.certificate().getSerialNumber()).isNotEqualTo(second.certificate().getSerialNumber());
    }

    @Test
    void validityWindowIsWrittenAsGiven() {
        Instant notBefore = Instant.now().minus(Duration.ofDays(10));
        Instant notAfter = Instant.now().minus(Duration.ofDays(1));

        IssuedCertificate expired = CertificateIssuer.client(intermediate, "old", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(notBefore, notAfter));
        IssuedCertificate future = CertificateIssuer.client(intermediate, "new", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(Instant.now().plus(Duration.ofDays(1)),
                        Instant.now().plus(Duration.ofDays(2))));

        assertThat(expired.certificate().getNotAfter().toInstant()).isEqualTo(Validity.between(notBefore, notAfter)
                .notAfter());
        assertThatThrownBy(() -> expired.certificate().checkValidity()).isInstanceOf(CertificateExpiredException.class);
        assertThatThrownBy(() -> future.certificate().checkValidity())
                .isInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void leafCannotIssueCertificates() {
        IssuedCertificate leaf = CertificateIssuer.client(intermediate, "leaf");

        assertThatThrownBy(() -> CertificateIssuer.client(leaf, "child"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CA");
    }

    @Test
    void chainFromAnotherRootDoesNotValidate() {
        IssuedCertificate otherRoot = CertificateIssuer.rootCa("Other", KeyAlgorithm.EcP256, Validity.defaultCa());
        IssuedCertificate client = CertificateIssuer.client(intermediate, "x");

        assertThatThrownBy(() -> validate(client.chain(), otherRoot.certificate()))
                .isInstanceOf(CertPathValidatorException.class);
    }

    static void validate(List<X509Certificate> chain, X509Certificate anchor) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }
}
