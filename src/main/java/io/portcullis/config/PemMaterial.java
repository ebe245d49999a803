package io.portcullis.config;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads PEM certificates and private keys for the configuration loader and checks that a key belongs
 * to a certificate. Failures are {@link PemException}s whose message the loader puts in a problem.
 * Stateless and thread-safe.
 */
final class PemMaterial {
    private static final int MINIMUM_RSA_BITS = 2048;

    private PemMaterial() {
    }

    /** A PEM text that does not hold what was expected; the message says what was found. */
    static final class PemException extends Exception {
        PemException(String message) {
            super(message);
        }
    }

    /** Every certificate in the text, in order; other PEM objects are refused. */
    static List<X509Certificate> certificates(String pem) throws PemException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new PemException("holds a " + describe(object) + " where only certificates are expected");
                }
                certificates.add(converter.getCertificate(holder));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new PemException("is not valid PEM (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new PemException("holds no '-----BEGIN CERTIFICATE-----' block");
        }
        return certificates;
    }

    /** The one private key in the text, PKCS#8 or the traditional RSA / EC form, unencrypted. */
    static PrivateKey privateKey(String pem) throws PemException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new PemException("holds no '-----BEGIN PRIVATE KEY-----' block");
            }
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new PemException("holds an encrypted private key, which the broker cannot read without"
                        + " a password");
            }
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            throw new PemException("holds a " + describe(object) + " instead of a private key");
        } catch (IOException e) {
            throw new PemException("is not valid PEM (" + e.getMessage() + ")");
        }
    }

    /** EC on P-384 or RSA of at least 2048 bits; anything else is not a server key the broker serves. */
    static Optional<ServerKeyType> serverKeyType(PublicKey publicKey) {
        if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MINIMUM_RSA_BITS) {
            return Optional.of(ServerKeyType.RSA);
        }
        if (publicKey instanceof ECPublicKey ec && isP384(ec.getParams())) {
            return Optional.of(ServerKeyType.EC_P384);
        }
        return Optional.empty();
    }

    static String describeKey(PublicKey publicKey) {
        if (publicKey instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + "-bit";
        }
        if (publicKey instanceof ECPublicKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve";
        }
        return publicKey.getAlgorithm();
    }

    private static boolean isP384(ECParameterSpec parameters) {
        try {
            AlgorithmParameters p384 = AlgorithmParameters.getInstance("EC");
            p384.init(new ECGenParameterSpec("secp384r1"));
            ECParameterSpec expected = p384.getParameterSpec(ECParameterSpec.class);
            return expected.getOrder().equals(parameters.getOrder())
                    && expected.getCurve().equals(parameters.getCurve())
                    && expected.getGenerator().equals(parameters.getGenerator());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String describe(Object object) {
        if (object instanceof X509CertificateHolder) {
            return "certificate";
        }
        if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
            return "private key";
        }
        return object.getClass().getSimpleName();
    }
}
