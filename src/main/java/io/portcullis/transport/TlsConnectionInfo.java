package io.portcullis.transport;

import io.netty.util.AttributeKey;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What the TLS handshake established for one connection, stored on the channel under
 * {@link #ATTRIBUTE} before the MQTT handlers are installed. The protocol handler authenticates
 * CONNECT with exactly this chain (SPEC 1, mutual-TLS flow step 7).
 *
 * @param peerChain   the client's verified certificate chain, leaf first
 * @param sniHostName the server name the client asked for, or {@code null} without SNI
 * @param protocol    the negotiated protocol, for example {@code TLSv1.3}
 * @param cipherSuite the negotiated cipher suite
 */
public record TlsConnectionInfo(List<X509Certificate> peerChain, String sniHostName, String protocol,
                                String cipherSuite) {

    /** Channel attribute holding this connection's TLS facts once the handshake has succeeded. */
    public static final AttributeKey<TlsConnectionInfo> ATTRIBUTE = AttributeKey.valueOf("portcullis.tls");

    public TlsConnectionInfo {
        peerChain = List.copyOf(peerChain);
        if (peerChain.isEmpty()) {
            throw new IllegalArgumentException("A mutual-TLS connection has at least the client's leaf certificate");
        }
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
    }

    /** The client certificate the handshake verified. */
    public X509Certificate clientCertificate() {
        return peerChain.get(0);
    }
}
