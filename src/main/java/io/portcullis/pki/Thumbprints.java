package io.portcullis.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Certificate thumbprints as the registry stores them. Stateless; safe on any thread. */
public final class Thumbprints {

    private Thumbprints() {
    }

    /** Upper-case hex SHA-256 of the certificate's DER encoding (64 characters). */
    public static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("Cannot compute certificate thumbprint", e);
        }
    }
}
