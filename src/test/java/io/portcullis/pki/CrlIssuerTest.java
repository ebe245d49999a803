package io.portcullis.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CrlIssuerTest {
    private static IssuedCertificate root;
    private static IssuedCertificate intermediate;
    private static IssuedCertificate otherCa;

    @TempDir
    Path directory;

    @BeforeAll
    static void issueCas() {
        root = CertificateIssuer.rootCa("Root", KeyAlgorithm.EcP384, Validity.defaultCa());
        intermediate = CertificateIssuer.intermediateCa(root, "Intermediate", KeyAlgorithm.EcP384,
                Validity.defaultCa());
        otherCa = CertificateIssuer.rootCa("Other", KeyAlgorithm.EcP256, Validity.defaultCa());
    }

    @Test
    void emptyCrlIsSignedByTheCaNumberedByTheClockWithItsAuthorityKeyIdentifier() throws Exception {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        X509CRL crl = CrlIssuer.empty(intermediate, Duration.ofDays(10));

        crl.verify(intermediate.certificate().getPublicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(intermediate.certificate().getSubjectX500Principal());
        assertThat(crl.getVersion()).isEqualTo(2);
        assertThat(crl.getRevokedCertificates()).isNull();
        // Numbered by the clock, so a CRL started over still numbers above every CRL issued before it.
        assertThat(CrlIssuer.crlNumber(crl).longValueExact()).isBetween(before.getEpochSecond(),
                Instant.now().getEpochSecond());
        assertThat(crl.getThisUpdate().toInstant()).isBetween(before, Instant.now());
        assertThat(crl.getNextUpdate().toInstant())
                .isCloseTo(crl.getThisUpdate().toInstant().plus(Duration.ofDays(10)), within(1, ChronoUnit.SECONDS));
        assertThat(authorityKeyId(crl)).isEqualTo(subjectKeyId(intermediate));
        assertThat(CrlIssuer.isIssuedBy(crl, intermediate.certificate())).isTrue();
        assertThat(CrlIssuer.isIssuedBy(crl, root.certificate())).isFalse();
    }

    @Test
    void revokeAddsTheSerialKeepsEarlierEntriesAndIncrementsTheNumber() throws Exception {
        IssuedCertificate first = CertificateIssuer.client(intermediate, "first");
        IssuedCertificate second = CertificateIssuer.client(intermediate, "second");
        Instant revokedAt = Instant.parse("2030-01-02T03:04:05Z");
        X509CRL empty = CrlIssuer.empty(intermediate, Duration.ofDays(30));

        X509CRL one = CrlIssuer.revoke(empty, intermediate, first.certificate().getSerialNumber(), revokedAt,
                Duration.ofDays(30));
        X509CRL two = CrlIssuer.revoke(one, intermediate, second.certificate().getSerialNumber(), Instant.now(),
                Duration.ofDays(5));

        two.verify(intermediate.certificate().getPublicKey());
        assertThat(CrlIssuer.crlNumber(one)).isEqualTo(CrlIssuer.crlNumber(empty).add(BigInteger.ONE));
        assertThat(CrlIssuer.crlNumber(two)).isEqualTo(CrlIssuer.crlNumber(empty).add(BigInteger.TWO));
        assertThat(two.getRevokedCertificates()).extracting(X509CRLEntry::getSerialNumber)
                .containsExactlyInAnyOrder(first.certificate().getSerialNumber(),
                        second.certificate().getSerialNumber());
        assertThat(two.getRevokedCertificate(first.certificate().getSerialNumber()).getRevocationDate().toInstant())
                .isEqualTo(revokedAt);
        // The JDK's own check, as a TLS stack would do it.
        assertThat(two.isRevoked(first.certificate())).isTrue();
        assertThat(two.isRevoked(CertificateIssuer.client(intermediate, "third").certificate())).isFalse();
        assertThat(two.getNextUpdate().toInstant())
                .isCloseTo(two.getThisUpdate().toInstant().plus(Duration.ofDays(5)), within(1, ChronoUnit.SECONDS));
        assertThat(authorityKeyId(two)).isEqualTo(subjectKeyId(intermediate));
    }

    @Test
    void revokingAListedSerialAgainKeepsOneEntry() {
        BigInteger serial = CertificateIssuer.client(intermediate, "twice").certificate().getSerialNumber();
        X509CRL once = CrlIssuer.revoke(CrlIssuer.empty(intermediate, Duration.ofDays(1)), intermediate, serial,
                Instant.now(), Duration.ofDays(1));

        X509CRL twice = CrlIssuer.revoke(once, intermediate, serial, Instant.now(), Duration.ofDays(1));

        assertThat(twice.getRevokedCertificates()).hasSize(1);
        assertThat(CrlIssuer.crlNumber(twice)).isEqualTo(CrlIssuer.crlNumber(once).add(BigInteger.ONE));
    }

    @Test
    void reissueKeepsEntriesWithALaterNextUpdate() {
        BigInteger serial = CertificateIssuer.client(intermediate, "kept").certificate().getSerialNumber();
        X509CRL shortLived = CrlIssuer.revoke(CrlIssuer.empty(intermediate, Duration.ofDays(1)), intermediate,
                serial, Instant.now(), Duration.ofHours(1));

        X509CRL renewed = CrlIssuer.reissue(shortLived, intermediate, Duration.ofDays(30));

        assertThat(renewed.getRevokedCertificate(serial)).isNotNull();
        assertThat(CrlIssuer.crlNumber(renewed)).isEqualTo(CrlIssuer.crlNumber(shortLived).add(BigInteger.ONE));
        assertThat(renewed.getNextUpdate()).isAfter(shortLived.getNextUpdate());
    }

    @Test
    void rsaCaSignsWithSha256WithRsa() throws Exception {
        IssuedCertificate rsa = CertificateIssuer.rootCa("RSA", KeyAlgorithm.Rsa2048, Validity.defaultCa());

        X509CRL crl = CrlIssuer.empty(rsa, Duration.ofDays(1));

        assertThat(crl.getSigAlgName()).isEqualTo("SHA256withRSA");
        crl.verify(rsa.certificate().getPublicKey());
    }

    @Test
    void refusesACrlOfAnotherCaAndANonCaSigner() {
        X509CRL foreign = CrlIssuer.empty(otherCa, Duration.ofDays(1));
        IssuedCertificate leaf = CertificateIssuer.client(intermediate, "leaf");

        assertThatThrownBy(() -> CrlIssuer.revoke(foreign, intermediate, BigInteger.TEN, Instant.now(),
                Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not signed");
        assertThatThrownBy(() -> CrlIssuer.empty(leaf, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cRLSign");
        assertThatThrownBy(() -> foreign.verify(intermediate.certificate().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void crlRoundTripsThroughPemAndIsNotOverwrittenWithoutForce() throws Exception {
        Path file = directory.resolve("ca.crl");
        X509CRL crl = CrlIssuer.revoke(CrlIssuer.empty(intermediate, Duration.ofDays(1)), intermediate,
                BigInteger.valueOf(42), Instant.now(), Duration.ofDays(1));

        PemFiles.writeCrl(file, crl, false);

        assertThat(Files.readString(file)).startsWith("-----BEGIN X509 CRL-----");
        assertThat(PemFiles.readCrl(file)).isEqualTo(crl);
        assertThatThrownBy(() -> PemFiles.writeCrl(file, CrlIssuer.empty(intermediate, Duration.ofDays(1)), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(PemFiles.readCrl(file)).isEqualTo(crl);
    }

    private static byte[] authorityKeyId(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifier();
    }

    private static byte[] subjectKeyId(IssuedCertificate ca) {
        byte[] value = ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifier();
    }
}
