package io.portcullis.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings shared by all listeners.
 *
 * @param engine                   TLS implementation
 * @param handshakeTimeout         a handshake not finished by then is closed (half-open connections, SPEC 1)
 * @param serverCertificates       one EC P-384 and one RSA certificate; the handshake picks the one the
 *                                 ClientHello can use
 * @param certificateExpiryWarning server and registered CA certificates that expire within this time raise
 *                                 a WARN and a metric
 * @param sessionTickets           TLS 1.3 session resumption
 * @param ocspStapling             OCSP stapling of the server certificate
 */
public record TlsConfig(TlsEngine engine, Duration handshakeTimeout, List<ServerCertificateConfig> serverCertificates,
                        Duration certificateExpiryWarning, SessionTicketConfig sessionTickets,
                        OcspStaplingConfig ocspStapling) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(30);

    public TlsConfig {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        serverCertificates = List.copyOf(serverCertificates);
        Objects.requireNonNull(certificateExpiryWarning, "certificateExpiryWarning");
        Objects.requireNonNull(sessionTickets, "sessionTickets");
        Objects.requireNonNull(ocspStapling, "ocspStapling");
    }

    /** TLS settings with default expiry warning, session tickets and no stapling. */
    public TlsConfig(TlsEngine engine, Duration handshakeTimeout, List<ServerCertificateConfig> serverCertificates) {
        this(engine, handshakeTimeout, serverCertificates, DEFAULT_EXPIRY_WARNING, SessionTicketConfig.DEFAULTS,
                OcspStaplingConfig.DISABLED);
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
