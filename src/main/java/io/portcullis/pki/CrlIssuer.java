package io.portcullis.pki;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;

/**
 * Issues X.509 v2 certificate revocation lists for a CA: an empty list, the same list with one more
 * revoked serial, or the same list re-issued with a later nextUpdate. A new list is numbered by the clock, and
 * every list issued after it carries a CRL Number one above the list it replaces. Each carries the CA's
 * Authority Key Identifier and is signed with the CA's key (SHA-384 with ECDSA or SHA-256 with RSA).
 * Stateless; safe on any thread. Used by the dev PKI and the {@code pki} command.
 */
public final class CrlIssuer {

    /** How long a CRL stays current unless the caller says otherwise. */
    public static final Duration DEFAULT_NEXT_UPDATE = Duration.ofDays(30);

    private CrlIssuer() {
    }

    /**
     * An empty CRL for {@code ca}, current from now until {@code nextUpdateIn} from now. Its CRL Number is the time
     * in seconds since 1970, not 1: a CRL started over (its file deleted, its history lost) must still number above
     * the CRLs the CA issued before, or a broker that read one of those refuses it as older.
     */
    public static X509CRL empty(IssuedCertificate ca, Duration nextUpdateIn) {
        requireCrlSigner(ca.certificate());
        return sign(builder(ca, nextUpdateIn, BigInteger.valueOf(Instant.now().getEpochSecond())), ca);
    }

    /**
     * {@code current} with {@code serial} added (revoked at {@code revokedAt}, no reason code), every
     * existing entry kept, the CRL Number incremented and a fresh thisUpdate/nextUpdate. A serial the
     * list already holds is not added twice: the list is re-issued unchanged apart from number and dates.
     *
     * @throws IllegalArgumentException when {@code current} was not signed by {@code ca}
     */
    public static X509CRL revoke(X509CRL current, IssuedCertificate ca, BigInteger serial, Instant revokedAt,
                                 Duration nextUpdateIn) {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        X509v2CRLBuilder builder = continuation(current, ca, nextUpdateIn);
        if (current.getRevokedCertificate(serial) == null) {
            // Reason 0 (unspecified) writes no reasonCode entry extension, as RFC 5280 5.3.1 asks.
            builder.addCRLEntry(serial, Date.from(revokedAt.truncatedTo(ChronoUnit.SECONDS)), 0);
        }
        return sign(builder, ca);
    }

    /** {@code current} re-issued with the same entries, the next CRL Number and fresh dates. */
    public static X509CRL reissue(X509CRL current, IssuedCertificate ca, Duration nextUpdateIn) {
        return sign(continuation(current, ca, nextUpdateIn), ca);
    }

    /** The CRL Number extension of {@code crl}, or zero when it has none. */
    public static BigInteger crlNumber(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (extension == null) {
            return BigInteger.ZERO;
        }
        byte[] inner = ASN1OctetString.getInstance(extension).getOctets();
        return ASN1Integer.getInstance(inner).getValue();
    }

    /** Whether {@code crl} was signed by {@code ca}'s key and names it as issuer. */
    public static boolean isIssuedBy(X509CRL crl, X509Certificate ca) {
        if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509v2CRLBuilder continuation(X509CRL current, IssuedCertificate ca, Duration nextUpdateIn) {
        Objects.requireNonNull(current, "current");
        if (!isIssuedBy(current, ca.certificate())) {
            throw new IllegalArgumentException("The CRL issued by " + current.getIssuerX500Principal().getName()
                    + " is not signed by the CA " + ca.certificate().getSubjectX500Principal().getName());
        }
        X509v2CRLBuilder builder = builder(ca, nextUpdateIn, crlNumber(current).add(BigInteger.ONE));
        try {
            builder.addCRL(new JcaX509CRLHolder(current));
        } catch (CRLException e) {
            throw new IllegalArgumentException("Cannot read the entries of the current CRL", e);
        }
        return builder;
    }

    private static X509v2CRLBuilder builder(IssuedCertificate ca, Duration nextUpdateIn, BigInteger number) {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(nextUpdateIn, "nextUpdateIn");
        if (nextUpdateIn.isNegative() || nextUpdateIn.isZero()) {
            throw new IllegalArgumentException("nextUpdateIn must be positive: " + nextUpdateIn);
        }
        requireCrlSigner(ca.certificate());
        // X.509 times have second precision; truncating keeps thisUpdate from lying in the future.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuer, Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(nextUpdateIn)));
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build CRL extensions", e);
        }
        return builder;
    }

    private static void requireCrlSigner(X509Certificate ca) {
        boolean[] usage = ca.getKeyUsage();
        // KeyUsage bit 6 is cRLSign (RFC 5280 4.2.1.3); a CA without a KeyUsage extension may sign CRLs.
        if (ca.getBasicConstraints() < 0 || usage != null && (usage.length <= 6 || !usage[6])) {
            throw new IllegalArgumentException("Certificate " + ca.getSubjectX500Principal().getName()
                    + " is not a CA allowed to sign CRLs (needs CA:true and the cRLSign key usage)");
        }
    }

    private static X509CRL sign(X509v2CRLBuilder builder, IssuedCertificate ca) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(
                    KeyAlgorithm.signatureAlgorithmFor(ca.privateKey().getAlgorithm())).build(ca.privateKey());
            X509CRLHolder holder = builder.build(signer);
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (OperatorCreationException | CRLException e) {
            throw new IllegalStateException("Cannot sign CRL", e);
        }
    }
}
