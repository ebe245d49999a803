package io.portcullis.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types the PKI issues, and the signature algorithm used when a key of a given type signs
 * a certificate. Stateless; safe on any thread.
 */
public enum KeyAlgorithm {
    EcP384("EC", "secp384r1", 0),
    EcP256("EC", "secp256r1", 0),
    Rsa2048("RSA", null, 2048);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String jcaName;
    private final String curve;
    private final int keySize;

    KeyAlgorithm(String jcaName, String curve, int keySize) {
        this.jcaName = jcaName;
        this.curve = curve;
        this.keySize = keySize;
    }

    /** Generates a fresh key pair of this type. */
    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(jcaName);
            if (curve != null) {
                generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            } else {
                generator.initialize(keySize, RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate " + this + " key pair", e);
        }
    }

    /**
     * The JCA signature algorithm for certificates signed with a key of the given JCA algorithm:
     * SHA-384 with ECDSA for EC keys, SHA-256 with RSA for RSA keys.
     */
    static String signatureAlgorithmFor(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC", "ECDSA" -> "SHA384withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("Unsupported signing key algorithm: " + keyAlgorithm);
        };
    }
}
