package io.portcullis.testsupport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Test-only certificate factory built directly on BouncyCastle: CAs, intermediates, client leaves
 * with subject alternative names, self-signed certificates and chosen validity dates. Not thread-safe
 * per builder; each test makes its own.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A certificate with the key pair it was issued for. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    public static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a certificate for a subject such as {@code "CN=client-1,O=Test"}. */
    public static Builder certificate(String subject) {
        return new Builder(subject);
    }

    /** A self-signed CA certificate (a root). */
    public static Issued rootCa(String commonName) {
        return certificate("CN=" + commonName + ",O=Portcullis Test").ca().build();
    }

    /** An intermediate CA issued by {@code issuer}. */
    public static Issued intermediateCa(String commonName, Issued issuer) {
        return certificate("CN=" + commonName + ",O=Portcullis Test").ca().issuer(issuer).build();
    }

    /** PEM text of certificates and keys, in the order given. */
    public static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object instanceof Issued issued ? issued.certificate() : object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Builds one certificate; defaults: EC P-256 key, valid from an hour ago for a day, client auth leaf. */
    public static final class Builder {
        private final String subject;
        private Issued issuer;
        private KeyPair keyPair;
        private boolean isCa;
        private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(1));
        private final List<GeneralName> alternativeNames = new ArrayList<>();
        private Integer keyUsage;
        private KeyPurposeId[] purposes;

        private Builder(String subject) {
            this.subject = subject;
        }

        public Builder issuer(Issued issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder keyPair(KeyPair keyPair) {
            this.keyPair = keyPair;
            return this;
        }

        public Builder ca() {
            this.isCa = true;
            return this;
        }

        public Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        /** Replaces the leaf's key usage bits (BouncyCastle {@code KeyUsage} flags); 0 leaves the extension out. */
        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        /**
         * Replaces the leaf's extended key usage purposes (default clientAuth and serverAuth); none leaves the
         * extension out.
         */
        public Builder extendedKeyUsage(KeyPurposeId... purposes) {
            this.purposes = purposes.clone();
            return this;
        }

        public Builder dns(String name) {
            alternativeNames.add(new GeneralName(GeneralName.dNSName, name));
            return this;
        }

        public Builder uri(String uri) {
            alternativeNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
            return this;
        }

        public Builder ip(String address) {
            alternativeNames.add(new GeneralName(GeneralName.iPAddress, address));
            return this;
        }

        public Builder email(String address) {
            alternativeNames.add(new GeneralName(GeneralName.rfc822Name, address));
            return this;
        }

        public Issued build() {
            KeyPair subjectKeys = keyPair != null ? keyPair : ecKeyPair("secp256r1");
            try {
                // Read the subject as RFC 4514 (most specific RDN first), as the JDK prints it.
                X500Name subjectName = X500Name.getInstance(new X500Principal(subject).getEncoded());
                X500Name issuerName = issuer == null ? subjectName
                        : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
                PrivateKey signingKey = issuer == null ? subjectKeys.getPrivate() : issuer.privateKey();
                JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                        new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
                        subjectName, subjectKeys.getPublic());
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
                builder.addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                if (issuer != null) {
                    builder.addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(issuer.certificate()));
                }
                if (isCa) {
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                } else {
                    if (keyUsage == null || keyUsage != 0) {
                        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage != null ? keyUsage
                                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                    }
                    if (purposes == null || purposes.length > 0) {
                        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                                purposes != null ? purposes : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth,
                                        KeyPurposeId.id_kp_serverAuth}));
                    }
                }
                if (!alternativeNames.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
                }
                String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
                X509Certificate certificate = new JcaX509CertificateConverter()
                        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signingKey)));
                return new Issued(certificate, subjectKeys);
            } catch (Exception e) {
                throw new IllegalStateException("test certificate for " + subject + " failed", e);
            }
        }
    }
}
