package io.portcullis.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its private key and the intermediates a peer needs to reach the root.
 *
 * @param certificate   the issued certificate
 * @param privateKey    its private key
 * @param intermediates the issuing CA certificates below the root, nearest first; empty when the
 *                      issuer is the root or the certificate is self-signed
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey,
                                List<X509Certificate> intermediates) {
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        intermediates = List.copyOf(intermediates);
    }

    /** The chain a TLS peer sends: this certificate first, then the intermediates. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>(1 + intermediates.size());
        chain.add(certificate);
        chain.addAll(intermediates);
        return List.copyOf(chain);
    }

    @Override
    public String toString() {
        // Never print key material.
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16) + "]";
    }
}
