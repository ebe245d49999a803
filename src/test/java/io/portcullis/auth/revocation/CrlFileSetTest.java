package io.portcullis.auth.revocation;

import ch.qos.logback.classic.Level;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.testsupport.LogCapture;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;

import static io.portcullis.config.RevocationFailurePolicy.FailClosed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reloading a file that holds several CRLs: an older CRL of one issuer and scope keeps the one in force, while
 * the file's other CRLs are taken; CRLs of different scopes (partitions) are never compared with each other.
 */
class CrlFileSetTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    static IssuedCertificate first;
    static IssuedCertificate second;

    @TempDir
    Path directory;

    @BeforeAll
    static void pki() {
        first = CertificateIssuer.rootCa("File Set Test CA One");
        second = CertificateIssuer.rootCa("File Set Test CA Two");
    }

    @Test
    void anOlderCrlOfOneIssuerIsRefusedAndTheFilesOtherCrlsAreTaken() throws Exception {
        Path file = directory.resolve("two.crl");
        X509CRL firstTwo = crl(first, 2, null);
        write(file, firstTwo);
        CrlFileSet before = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);

        X509CRL secondOne = crl(second, 1, null);
        write(file, crl(first, 1, null), secondOne);
        CrlFileSet after = CrlFileSet.load(List.of(file), before, CrlFileSetTest::known, NOW, FailClosed);

        assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo, secondOne);
        assertThat(after.sameAs(before)).as("the file's content changed").isFalse();
    }

    @Test
    void crlsOfDifferentPartitionsOfOneIssuerAreComparedOnlyWithTheirOwnPartition() throws Exception {
        Path file = directory.resolve("partitions.crl");
        X509CRL partitionB = crl(first, 5, "http://crl.example/b");
        write(file, crl(first, 5, "http://crl.example/a"), partitionB);
        CrlFileSet before = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);

        // Partition A moves on to #6; partition B, unchanged, has the same number as A had, with other content.
        X509CRL partitionA = crl(first, 6, "http://crl.example/a");
        write(file, partitionA, partitionB);
        CrlFileSet after = CrlFileSet.load(List.of(file), before, CrlFileSetTest::known, NOW, FailClosed);

        assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(partitionA, partitionB);
    }

    @Test
    void aCrlOfAnIssuerTheFileNoLongerHoldsStaysInForceSoAnOlderOneCannotComeBackInTwoSteps() throws Exception {
        Path file = directory.resolve("intermediate.crl");
        X509CRL firstOne = crl(first, 1, null);
        X509CRL firstTwo = crl(first, 2, null);
        write(file, firstOne);
        CrlFileSet one = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);
        write(file, firstTwo);
        CrlFileSet two = CrlFileSet.load(List.of(file), one, CrlFileSetTest::known, NOW, FailClosed);

        // Another issuer's CRL in the file's place: the first issuer's CRL #2 stays in force beside it.
        X509CRL stranger = crl(second, 1, null);
        write(file, stranger);
        CrlFileSet swapped = CrlFileSet.load(List.of(file), two, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(swapped.all()).extracting(LoadedCrl::crl).containsExactly(stranger, firstTwo);

        // CRL #1 written back is then still older than the CRL in force; the other issuer's CRL is kept in turn.
        write(file, firstOne);
        CrlFileSet replayed = CrlFileSet.load(List.of(file), swapped, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(replayed.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo, stranger);
    }

    @Test
    void anOlderCrlWrittenBackAfterAnUnusableFileIsJudgedAgainNotTakenForTheContentInForce() throws Exception {
        Path file = directory.resolve("again.crl");
        X509CRL two = crl(first, 2, null);
        write(file, two);
        CrlFileSet inForce = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);
        X509CRL one = crl(first, 1, null);
        write(file, one);
        CrlFileSet refused = CrlFileSet.load(List.of(file), inForce, CrlFileSetTest::known, NOW, FailClosed);
        Files.writeString(file, "not a CRL");
        CrlFileSet unusable = CrlFileSet.load(List.of(file), refused, CrlFileSetTest::known, NOW, FailClosed);
        write(file, one);
        CrlFileSet again = CrlFileSet.load(List.of(file), unusable, CrlFileSetTest::known, NOW, FailClosed);

        assertThat(again.all()).extracting(LoadedCrl::crl).containsExactly(two);
        assertThat(again.sameAs(unusable)).as("the file changed, so it was read and judged again").isFalse();
    }

    @Test
    void aCrlWhoseSignatureWasNeverVerifiedDoesNotKeepAGenuineLowerNumberedCrlOut() throws Exception {
        // A CRL under the CA's name but another key, read while no CA of that name was known yet.
        IssuedCertificate impostor = CertificateIssuer.rootCa("File Set Test CA One");
        Path file = directory.resolve("unverified.crl");
        write(file, crl(impostor, 65_535, null));
        CrlFileSet unverified = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> List.of(), NOW, FailClosed);

        X509CRL genuine = crl(first, 35, null);
        write(file, genuine);
        CrlFileSet after = CrlFileSet.load(List.of(file), unverified, CrlFileSetTest::known, NOW, FailClosed);

        assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(genuine);
    }

    @Test
    void aCrlFoundForgedWhereItWasUsedDoesNotSetTheBarNorStayWhenTheFileMovesOn() throws Exception {
        IssuedCertificate impostor = CertificateIssuer.rootCa("File Set Test CA One");
        Path file = directory.resolve("forged.crl");
        write(file, crl(impostor, 65_535, null));
        CrlFileSet forged = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> List.of(), NOW, FailClosed);
        // The check where it is used: the chain's issuer is the genuine CA.
        assertThat(forged.all().get(0).isSignedBy(first.certificate())).isFalse();

        X509CRL stranger = crl(second, 1, null);
        write(file, stranger);
        CrlFileSet moved = CrlFileSet.load(List.of(file), forged, crl -> List.of(), NOW, FailClosed);
        assertThat(moved.all()).extracting(LoadedCrl::crl).containsExactly(stranger);
    }

    @Test
    void aVerifiedCrlRefusesOnlyOlderCrlsOfItsOwnKey() throws Exception {
        Path file = directory.resolve("keys.crl");
        X509CRL inForce = crl(first, 10, null);
        write(file, inForce);
        CrlFileSet verified = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW,
                FailClosed);

        write(file, crl(first, 9, null));
        assertThat(CrlFileSet.load(List.of(file), verified, CrlFileSetTest::known, NOW, FailClosed).all())
                .extracting(LoadedCrl::crl).containsExactly(inForce);

        // Another key under the same name, while no CA of the name is known: not comparable, so it is taken and
        // left to the check where it is used.
        X509CRL otherKey = crl(CertificateIssuer.rootCa("File Set Test CA One"), 9, null);
        write(file, otherKey);
        assertThat(CrlFileSet.load(List.of(file), verified, crl -> List.of(), NOW, FailClosed).all())
                .extracting(LoadedCrl::crl).containsExactly(otherKey);
        // Once the CA is known, such a file is not loaded at all.
        assertThat(CrlFileSet.load(List.of(file), verified, CrlFileSetTest::known, NOW, FailClosed).all())
                .extracting(LoadedCrl::crl).containsExactly(inForce);
    }

    @Test
    void aCrlOfAnotherKeyInTheFileIsLeftOutAndTheGenuineOneBesideItTaken() throws Exception {
        IssuedCertificate impostor = CertificateIssuer.rootCa("File Set Test CA One");
        Path file = directory.resolve("mixed.crl");
        X509CRL inForce = crl(first, 1, null);
        write(file, inForce);
        CrlFileSet before = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);

        X509CRL genuine = crl(first, 2, null);
        write(file, crl(impostor, 3, null), genuine);
        try (LogCapture log = new LogCapture(CrlFileSet.class)) {
            CrlFileSet after = CrlFileSet.load(List.of(file), before, CrlFileSetTest::known, NOW, FailClosed);

            assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(genuine);
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .startsWith("CRL in the file not used, its signature does not verify");
        }

        // Only CRLs of another key: the file is not taken, and the CRL in force stays.
        write(file, crl(impostor, 4, null));
        CrlFileSet forged = CrlFileSet.load(List.of(file), before, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(forged.all()).extracting(LoadedCrl::crl).containsExactly(inForce);
    }

    @Test
    void aFileHoldingACertificateIsRefusedSayingSo() throws Exception {
        Path file = directory.resolve("certificate.crl");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(first.certificate());
        }
        Files.writeString(file, pem.toString(), StandardCharsets.US_ASCII);

        try (LogCapture log = new LogCapture(CrlFileSet.class)) {
            assertThat(CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed)
                    .all()).isEmpty();
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("it holds a certificate, not a CRL");
        }
    }

    @Test
    void anEmptyOrUnparseableFileKeepsTheCrlsInForceAndARemovedPathDropsThem() throws Exception {
        Path file = directory.resolve("kept.crl");
        X509CRL firstTwo = crl(first, 2, null);
        write(file, firstTwo);
        CrlFileSet loaded = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, CrlFileSetTest::known, NOW, FailClosed);

        Files.write(file, new byte[0]);
        CrlFileSet empty = CrlFileSet.load(List.of(file), loaded, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(empty.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        Files.writeString(file, "-----BEGIN X509 CRL-----\nnot base64\n", StandardCharsets.US_ASCII);
        CrlFileSet garbled = CrlFileSet.load(List.of(file), empty, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(garbled.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        write(file, crl(first, 1, null));
        CrlFileSet replayed = CrlFileSet.load(List.of(file), garbled, CrlFileSetTest::known, NOW, FailClosed);
        assertThat(replayed.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        assertThat(CrlFileSet.load(List.of(), replayed, CrlFileSetTest::known, NOW, FailClosed).all()).isEmpty();
    }

    /** The test CAs under a CRL's issuer name: every CRL the tests sign is verified when its file is read. */
    private static List<X509Certificate> known(X509CRL crl) {
        return Stream.of(first, second).map(IssuedCertificate::certificate)
                .filter(ca -> ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())).toList();
    }

    /** A CRL of {@code ca} with the CRL Number, for the partition named by {@code partition} unless it is null. */
    private static X509CRL crl(IssuedCertificate ca, long number, String partition) throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(NOW));
        builder.setNextUpdate(Date.from(NOW.plus(1, ChronoUnit.DAYS)));
        builder.addCRLEntry(BigInteger.valueOf(number * 1000 + 7), Date.from(NOW), 1);
        builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
        if (partition != null) {
            DistributionPointName name = new DistributionPointName(new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, partition)));
            builder.addExtension(Extension.issuingDistributionPoint, true,
                    new IssuingDistributionPoint(name, false, false, null, false, false));
        }
        return new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder("SHA384withECDSA")
                .build(ca.privateKey())));
    }

    private static void write(Path file, X509CRL... crls) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509CRL crl : crls) {
                writer.writeObject(crl);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }
}
