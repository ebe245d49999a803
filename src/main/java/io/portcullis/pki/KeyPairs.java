package io.portcullis.pki;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** Whether a private key and a certificate's public key are one pair. Stateless. */
public final class KeyPairs {

    private KeyPairs() {
    }

    /** Whether {@link #belongTogether} can judge keys of this algorithm (RSA and EC). */
    public static boolean canCheck(PublicKey publicKey) {
        return signatureAlgorithm(publicKey) != null;
    }

    /**
     * Signs a random block with the private key and verifies it with the public one, which only works for the two
     * halves of one pair. False for keys of different or unknown algorithms.
     */
    public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = signatureAlgorithm(publicKey);
        if (algorithm == null || !privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] block = new byte[32];
            new SecureRandom().nextBytes(block);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(block);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(block);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PublicKey publicKey) {
        return switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
    }
}
