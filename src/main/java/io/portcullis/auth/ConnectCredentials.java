package io.portcullis.auth;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a CONNECT presents for authentication: its Username (or {@code null}) and the certificate
 * chain that the same connection's TLS handshake verified, leaf first.
 */
public record ConnectCredentials(String username, List<X509Certificate> certificateChain, String remoteAddress) {
    public ConnectCredentials {
        certificateChain = List.copyOf(certificateChain);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
}
