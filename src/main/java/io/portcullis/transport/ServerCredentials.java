package io.portcullis.transport;

import io.portcullis.pki.PemFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The broker's two server identities, held together because every handshake may need either: an
 * ECDSA (P-384) key with its chain and an RSA (2048) key with its chain. Chains are leaf first,
 * then intermediates; the root is normally left out.
 */
public record ServerCredentials(PrivateKey ecKey, List<X509Certificate> ecChain,
                                PrivateKey rsaKey, List<X509Certificate> rsaChain) {

    public ServerCredentials {
        Objects.requireNonNull(ecKey, "ecKey");
        Objects.requireNonNull(rsaKey, "rsaKey");
        ecChain = List.copyOf(ecChain);
        rsaChain = List.copyOf(rsaChain);
        requireKeyType("EC", ecKey, ecChain);
        requireKeyType("RSA", rsaKey, rsaChain);
    }

    /** Reads both chains and keys from PEM files (certificate files hold leaf then intermediates). */
    public static ServerCredentials load(Path ecCertificate, Path ecKey, Path rsaCertificate, Path rsaKey)
            throws IOException {
        return new ServerCredentials(PemFiles.readPrivateKey(ecKey), PemFiles.readCertificates(ecCertificate),
                PemFiles.readPrivateKey(rsaKey), PemFiles.readCertificates(rsaCertificate));
    }

    private static void requireKeyType(String algorithm, PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("The " + algorithm + " server certificate chain is empty");
        }
        if (!algorithm.equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("Expected an " + algorithm + " server key, got " + key.getAlgorithm());
        }
        if (!algorithm.equals(chain.get(0).getPublicKey().getAlgorithm())) {
            throw new IllegalArgumentException("Expected an " + algorithm + " server certificate, got "
                    + chain.get(0).getPublicKey().getAlgorithm());
        }
    }

    @Override
    public String toString() {
        // Never print key material.
        return "ServerCredentials[ec=" + ecChain.get(0).getSubjectX500Principal().getName()
                + ", rsa=" + rsaChain.get(0).getSubjectX500Principal().getName() + "]";
    }
}
