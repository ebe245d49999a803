package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings shared by all listeners.
 *
 * @param engine             TLS implementation
 * @param handshakeTimeout   a handshake not finished by then is closed (half-open connections, SPEC 1)
 * @param serverCertificates one EC P-384 and one RSA certificate; the handshake picks the one the
 *                           ClientHello can use
 */
public record TlsConfig(TlsEngine engine, Duration handshakeTimeout, List<ServerCertificateConfig> serverCertificates) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TlsConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        serverCertificates = List.copyOf(serverCertificates);
    }

    /** The server certificate with the given key type, or {@code null}. */
    public ServerCertificateConfig serverCertificate(ServerKeyType keyType) {
        for (ServerCertificateConfig certificate : serverCertificates) {
            if (certificate.keyType() == keyType) {
                return certificate;
            }
        }
        return null;
    }
}
