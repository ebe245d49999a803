package io.portcullis.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Issues the certificates a Portcullis deployment needs: a root CA, an intermediate CA, server
 * certificates and client certificates (CA-signed or self-signed). Every certificate gets a random
 * positive 128-bit serial and subject/authority key identifiers; EC issuers sign with SHA-384 with
 * ECDSA, RSA issuers with SHA-256 with RSA. Stateless; safe on any thread. Used by the {@code dev}
 * command, the {@code pki} command and tests.
 */
public final class CertificateIssuer {

    /**
     * The longest subject common name a certificate may carry: RFC 5280's ub-common-name. BouncyCastle
     * refuses a longer one with an IllegalArgumentException and counts UTF-16 chars ({@link String#length()}),
     * so callers that take a name from a user check it against this first, the same way.
     */
    public static final int MAX_COMMON_NAME_LENGTH = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateIssuer() {
    }

    /** A self-signed root CA: CA:true without a path length limit, keyCertSign and cRLSign. */
    public static IssuedCertificate rootCa(String commonName, KeyAlgorithm algorithm, Validity validity) {
        KeyPair keyPair = algorithm.generate();
        X500Name subject = name(commonName);
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keyPair.getPublic(), validity);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensionUtils().createAuthorityKeyIdentifier(keyPair.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot build root CA extensions", e);
        }
        X509Certificate certificate = sign(builder, keyPair.getPrivate());
        return new IssuedCertificate(certificate, keyPair.getPrivate(), List.of());
    }

    /** A P-384 root CA valid for ten years. */
    public static IssuedCertificate rootCa(String commonName) {
        return rootCa(commonName, KeyAlgorithm.EcP384, Validity.defaultCa());
    }

    /** A P-384 intermediate CA signed by {@code issuer}, valid for ten years. */
    public static IssuedCertificate intermediateCa(IssuedCertificate issuer, String commonName) {
        return intermediateCa(issuer, commonName, KeyAlgorithm.EcP384, Validity.defaultCa());
    }

    /** An intermediate CA signed by {@code issuer}: CA:true with path length 0. */
    public static IssuedCertificate intermediateCa(IssuedCertificate issuer, String commonName,
                                                   KeyAlgorithm algorithm, Validity validity) {
        KeyPair keyPair = algorithm.generate();
        JcaX509v3CertificateBuilder builder = issuedBuilder(issuer, commonName, keyPair.getPublic(), validity);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot build intermediate CA extensions", e);
        }
        X509Certificate certificate = sign(builder, issuer.privateKey());
        return new IssuedCertificate(certificate, keyPair.getPrivate(), chainBelowRoot(issuer));
    }

    /** A server certificate with the serverAuth extended key usage and the given SANs. */
    public static IssuedCertificate server(IssuedCertificate issuer, String commonName, KeyAlgorithm algorithm,
                                           SubjectAltNames altNames, Validity validity) {
        return leaf(issuer, commonName, algorithm, altNames, validity, KeyPurposeId.id_kp_serverAuth);
    }

    /** A server certificate for this machine (SANs localhost, 127.0.0.1, ::1) valid for a year. */
    public static IssuedCertificate server(IssuedCertificate issuer, KeyAlgorithm algorithm) {
        return server(issuer, "localhost", algorithm, SubjectAltNames.LOCALHOST, Validity.defaultLeaf());
    }

    /** A client certificate with subject CN={@code commonName}, clientAuth usage and optional SANs. */
    public static IssuedCertificate client(IssuedCertificate issuer, String commonName, KeyAlgorithm algorithm,
                                           SubjectAltNames altNames, Validity validity) {
        return leaf(issuer, commonName, algorithm, altNames, validity, KeyPurposeId.id_kp_clientAuth);
    }

    /** A P-256 client certificate with subject CN={@code commonName}, no SANs, valid for a year. */
    public static IssuedCertificate client(IssuedCertificate issuer, String commonName) {
        return client(issuer, commonName, KeyAlgorithm.EcP256, SubjectAltNames.NONE, Validity.defaultLeaf());
    }

    /** A self-signed client certificate (not a CA) with clientAuth usage, for ThumbprintMatch clients. */
    public static IssuedCertificate selfSignedClient(String commonName, KeyAlgorithm algorithm,
                                                     SubjectAltNames altNames, Validity validity) {
        KeyPair keyPair = algorithm.generate();
        X500Name subject = name(commonName);
        JcaX509v3CertificateBuilder builder = builder(subject, subject, keyPair.getPublic(), validity);
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensionUtils().createAuthorityKeyIdentifier(keyPair.getPublic()));
            addLeafExtensions(builder, keyPair.getPublic(), altNames, KeyPurposeId.id_kp_clientAuth);
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot build client certificate extensions", e);
        }
        X509Certificate certificate = sign(builder, keyPair.getPrivate());
        return new IssuedCertificate(certificate, keyPair.getPrivate(), List.of());
    }

    /** A self-signed P-256 client certificate with no SANs, valid for a year. */
    public static IssuedCertificate selfSignedClient(String commonName) {
        return selfSignedClient(commonName, KeyAlgorithm.EcP256, SubjectAltNames.NONE, Validity.defaultLeaf());
    }

    private static IssuedCertificate leaf(IssuedCertificate issuer, String commonName, KeyAlgorithm algorithm,
                                          SubjectAltNames altNames, Validity validity, KeyPurposeId purpose) {
        Objects.requireNonNull(altNames, "altNames");
        KeyPair keyPair = algorithm.generate();
        JcaX509v3CertificateBuilder builder = issuedBuilder(issuer, commonName, keyPair.getPublic(), validity);
        try {
            addLeafExtensions(builder, keyPair.getPublic(), altNames, purpose);
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot build certificate extensions", e);
        }
        X509Certificate certificate = sign(builder, issuer.privateKey());
        return new IssuedCertificate(certificate, keyPair.getPrivate(), chainBelowRoot(issuer));
    }

    private static void addLeafExtensions(JcaX509v3CertificateBuilder builder, PublicKey publicKey,
                                          SubjectAltNames altNames, KeyPurposeId purpose) throws CertIOException {
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        // RSA keys in TLS 1.2 ECDHE_RSA only sign, so digitalSignature is enough for both key types.
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (!altNames.isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, false, generalNames(altNames));
        }
    }

    private static GeneralNames generalNames(SubjectAltNames altNames) {
        List<GeneralName> names = new ArrayList<>();
        altNames.dnsNames().forEach(dns -> names.add(new GeneralName(GeneralName.dNSName, dns)));
        altNames.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        altNames.uris().forEach(uri -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
        altNames.emails().forEach(email -> names.add(new GeneralName(GeneralName.rfc822Name, email)));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static JcaX509v3CertificateBuilder issuedBuilder(IssuedCertificate issuer, String commonName,
                                                            PublicKey publicKey, Validity validity) {
        X509Certificate issuerCertificate = issuer.certificate();
        if (issuerCertificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("Issuer is not a CA: "
                    + issuerCertificate.getSubjectX500Principal().getName());
        }
        X500Name issuerName = X500Name.getInstance(issuerCertificate.getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder builder = builder(issuerName, name(commonName), publicKey, validity);
        try {
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensionUtils().createAuthorityKeyIdentifier(issuerCertificate));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build authority key identifier", e);
        }
        return builder;
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey publicKey,
                                                      Validity validity) {
        Objects.requireNonNull(validity, "validity");
        // 128 random bits, forced positive: serials must be positive integers (RFC 5280 4.1.2.2).
        BigInteger serial = new BigInteger(128, RANDOM).setBit(127);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(validity.notBefore()), Date.from(validity.notAfter()), subject, publicKey);
        try {
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils().createSubjectKeyIdentifier(publicKey));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot build subject key identifier", e);
        }
        return builder;
    }

    private static X500Name name(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static List<X509Certificate> chainBelowRoot(IssuedCertificate issuer) {
        if (isSelfSigned(issuer.certificate())) {
            return issuer.intermediates();
        }
        return issuer.chain();
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(
                    KeyAlgorithm.signatureAlgorithmFor(signingKey.getAlgorithm())).build(signingKey);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign certificate", e);
        }
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is unavailable", e);
        }
    }
}
