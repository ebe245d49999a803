package io.portcullis.testsupport;

import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Test PKI pieces for revocation, built with BouncyCastle: client certificates that name a CRL distribution
 * point and an OCSP responder (AIA), delegated OCSP responder certificates, and CRLs with chosen dates and
 * revoked serials, written as PEM. Stateless; any thread.
 */
public final class RevocationPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RevocationPki() {
    }

    /**
     * A P-256 client certificate CN={@code commonName} issued by {@code issuer}, valid an hour back and a day
     * ahead of {@code now}, naming {@code crlUrl} and {@code ocspUrl} when they are not {@code null}.
     */
    public static IssuedCertificate client(IssuedCertificate issuer, String commonName, URI crlUrl, URI ocspUrl,
                                           Instant now) {
        return issue(issuer, commonName, crlUrl, ocspUrl, now, KeyPurposeId.id_kp_clientAuth);
    }

    /** A delegated OCSP responder certificate (id-kp-OCSPSigning) issued by {@code issuer}. */
    public static IssuedCertificate ocspResponder(IssuedCertificate issuer, String commonName, Instant now) {
        return issue(issuer, commonName, null, null, now, KeyPurposeId.id_kp_OCSPSigning);
    }

    private static IssuedCertificate issue(IssuedCertificate issuer, String commonName, URI crlUrl, URI ocspUrl,
                                           Instant now, KeyPurposeId purpose) {
        try {
            KeyPair keys = KeyAlgorithm.EcP256.generate();
            X509Certificate ca = issuer.certificate();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                    new BigInteger(128, RANDOM).setBit(127), Date.from(now.minusSeconds(3600)),
                    Date.from(now.plusSeconds(86_400)), new X500Name("CN=" + commonName), keys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (crlUrl != null) {
                GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        crlUrl.toString()));
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(names), null, null)}));
            }
            if (ocspUrl != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl.toString())));
            }
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(signatureAlgorithm(issuer.privateKey()))
                            .build(issuer.privateKey())));
            return new IssuedCertificate(certificate, keys.getPrivate(), issuer.chain().size() > 1
                    || !isSelfSigned(ca) ? issuer.chain() : List.of());
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    /**
     * A CRL signed by {@code signer} under {@code issuerCertificate}'s name, with the given dates, listing
     * {@code revoked} serials with their reason (a {@link CRLReason} code).
     */
    public static X509CRL crl(X509Certificate issuerCertificate, PrivateKey signer, Instant thisUpdate,
                              Instant nextUpdate, Map<BigInteger, Integer> revoked) {
        return crl(issuerCertificate, signer, thisUpdate, nextUpdate, revoked, null);
    }

    /** As {@link #crl(X509Certificate, PrivateKey, Instant, Instant, Map)}, with a CRL Number unless it is null. */
    public static X509CRL crl(X509Certificate issuerCertificate, PrivateKey signer, Instant thisUpdate,
                              Instant nextUpdate, Map<BigInteger, Integer> revoked, BigInteger crlNumber) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuerCertificate.getSubjectX500Principal().getEncoded()),
                    Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (Map.Entry<BigInteger, Integer> entry : revoked.entrySet()) {
                builder.addCRLEntry(entry.getKey(), Date.from(thisUpdate), entry.getValue());
            }
            if (crlNumber != null) {
                builder.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            }
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder(signatureAlgorithm(signer)).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a test CRL", e);
        }
    }

    /** A current CRL of {@code issuer} (an hour back, a day ahead of {@code now}) listing {@code revoked}. */
    public static X509CRL crl(IssuedCertificate issuer, Instant now, X509Certificate... revoked) {
        Map<BigInteger, Integer> serials = new java.util.LinkedHashMap<>();
        for (X509Certificate certificate : revoked) {
            serials.put(certificate.getSerialNumber(), CRLReason.keyCompromise);
        }
        return crl(issuer.certificate(), issuer.privateKey(), now.minusSeconds(3600), now.plusSeconds(86_400),
                serials);
    }

    /** Writes the CRL as PEM, atomically, as an operator's tool would replace the file. */
    public static void writePem(Path file, X509CRL crl) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(crl);
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text.toString(), StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA384withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("no signature algorithm for " + key.getAlgorithm());
        };
    }

    private static boolean isSelfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }
}
