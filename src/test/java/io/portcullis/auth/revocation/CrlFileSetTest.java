package io.portcullis.auth.revocation;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;

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
        CrlFileSet before = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> Optional.empty(), NOW);

        X509CRL secondOne = crl(second, 1, null);
        write(file, crl(first, 1, null), secondOne);
        CrlFileSet after = CrlFileSet.load(List.of(file), before, crl -> Optional.empty(), NOW);

        assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo, secondOne);
        assertThat(after.sameAs(before)).as("the file's content changed").isFalse();
    }

    @Test
    void crlsOfDifferentPartitionsOfOneIssuerAreComparedOnlyWithTheirOwnPartition() throws Exception {
        Path file = directory.resolve("partitions.crl");
        X509CRL partitionB = crl(first, 5, "http://crl.example/b");
        write(file, crl(first, 5, "http://crl.example/a"), partitionB);
        CrlFileSet before = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> Optional.empty(), NOW);

        // Partition A moves on to #6; partition B, unchanged, has the same number as A had, with other content.
        X509CRL partitionA = crl(first, 6, "http://crl.example/a");
        write(file, partitionA, partitionB);
        CrlFileSet after = CrlFileSet.load(List.of(file), before, crl -> Optional.empty(), NOW);

        assertThat(after.all()).extracting(LoadedCrl::crl).containsExactly(partitionA, partitionB);
    }

    @Test
    void aCrlOfAnIssuerTheFileNoLongerHoldsStaysInForceSoAnOlderOneCannotComeBackInTwoSteps() throws Exception {
        Path file = directory.resolve("intermediate.crl");
        X509CRL firstOne = crl(first, 1, null);
        X509CRL firstTwo = crl(first, 2, null);
        write(file, firstOne);
        CrlFileSet one = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> Optional.empty(), NOW);
        write(file, firstTwo);
        CrlFileSet two = CrlFileSet.load(List.of(file), one, crl -> Optional.empty(), NOW);

        // Another issuer's CRL in the file's place: the first issuer's CRL #2 stays in force beside it.
        X509CRL stranger = crl(second, 1, null);
        write(file, stranger);
        CrlFileSet swapped = CrlFileSet.load(List.of(file), two, crl -> Optional.empty(), NOW);
        assertThat(swapped.all()).extracting(LoadedCrl::crl).containsExactly(stranger, firstTwo);

        // CRL #1 written back is then still older than the CRL in force; the other issuer's CRL is kept in turn.
        write(file, firstOne);
        CrlFileSet replayed = CrlFileSet.load(List.of(file), swapped, crl -> Optional.empty(), NOW);
        assertThat(replayed.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo, stranger);
    }

    @Test
    void anOlderCrlWrittenBackAfterAnUnusableFileIsJudgedAgainNotTakenForTheContentInForce() throws Exception {
        Path file = directory.resolve("again.crl");
        X509CRL two = crl(first, 2, null);
        write(file, two);
        CrlFileSet inForce = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> Optional.empty(), NOW);
        X509CRL one = crl(first, 1, null);
        write(file, one);
        CrlFileSet refused = CrlFileSet.load(List.of(file), inForce, crl -> Optional.empty(), NOW);
        Files.writeString(file, "not a CRL");
        CrlFileSet unusable = CrlFileSet.load(List.of(file), refused, crl -> Optional.empty(), NOW);
        write(file, one);
        CrlFileSet again = CrlFileSet.load(List.of(file), unusable, crl -> Optional.empty(), NOW);

        assertThat(again.all()).extracting(LoadedCrl::crl).containsExactly(two);
        assertThat(again.sameAs(unusable)).as("the file changed, so it was read and judged again").isFalse();
    }

    @Test
    void anEmptyOrUnparseableFileKeepsTheCrlsInForceAndARemovedPathDropsThem() throws Exception {
        Path file = directory.resolve("kept.crl");
        X509CRL firstTwo = crl(first, 2, null);
        write(file, firstTwo);
        CrlFileSet loaded = CrlFileSet.load(List.of(file), CrlFileSet.EMPTY, crl -> Optional.empty(), NOW);

        Files.write(file, new byte[0]);
        CrlFileSet empty = CrlFileSet.load(List.of(file), loaded, crl -> Optional.empty(), NOW);
        assertThat(empty.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        Files.writeString(file, "-----BEGIN X509 CRL-----\nnot base64\n", StandardCharsets.US_ASCII);
        CrlFileSet garbled = CrlFileSet.load(List.of(file), empty, crl -> Optional.empty(), NOW);
        assertThat(garbled.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        write(file, crl(first, 1, null));
        CrlFileSet replayed = CrlFileSet.load(List.of(file), garbled, crl -> Optional.empty(), NOW);
        assertThat(replayed.all()).extracting(LoadedCrl::crl).containsExactly(firstTwo);

        assertThat(CrlFileSet.load(List.of(), replayed, crl -> Optional.empty(), NOW).all()).isEmpty();
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
