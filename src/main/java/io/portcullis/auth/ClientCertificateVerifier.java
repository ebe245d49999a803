package io.portcullis.auth;

import io.portcullis.registry.Registry;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Decides during the TLS handshake whether a client certificate chain may connect at all: it chains
 * to a registered CA certificate, or its leaf's SHA-256 thumbprint is registered for a
 * ThumbprintMatch client; and it is within its validity dates. Which client it is, is decided later
 * at CONNECT by {@link ConnectAuthenticator}. Pure and thread-safe; runs on the event loop.
 */
public interface ClientCertificateVerifier {

    /**
     * @param chain    the chain the client sent, leaf first
     * @param registry the snapshot to check against
     * @throws CertificateException with a message an operator can act on, when the chain is refused
     */
    void verify(List<X509Certificate> chain, Registry registry) throws CertificateException;
}
