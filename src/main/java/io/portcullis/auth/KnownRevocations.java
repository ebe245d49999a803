package io.portcullis.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What the TLS-time gate may ask about revocation without waiting: whether a chain is already known, from
 * what is in memory (revocations reported before, kept until the certificate expires, CRL files, cached CRLs
 * and OCSP answers), to hold a revoked certificate. The full check,
 * which may fetch, runs later at CONNECT. Implementations are thread-safe, do no I/O and never block, since
 * they run on an event loop during the handshake.
 */
public interface KnownRevocations {

    /** Knows of no revocation. */
    KnownRevocations NONE = chain -> Optional.empty();

    /**
     * @param chain the chain the client sent, leaf first, already validated to a registered CA or allowed by
     *              thumbprint
     * @return why a certificate of the chain is revoked, or empty when nothing in memory says so
     */
    Optional<String> revokedInMemory(List<X509Certificate> chain);
}
