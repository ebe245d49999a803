package io.portcullis.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one listener accepts connections.
 *
 * @param name             for logs, for example {@code mqtts} or {@code wss}
 * @param bindAddress      host or IP literal to bind, {@code 0.0.0.0} for every IPv4 interface
 * @param port             TCP port; 0 binds an ephemeral port (see {@link TransportListener#port()})
 * @param handshakeTimeout how long a connection may take from TCP accept to a finished TLS handshake
 */
public record ListenerSettings(String name, String bindAddress, int port, Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    public ListenerSettings(String name, String bindAddress, int port) {
        this(name, bindAddress, port, DEFAULT_HANDSHAKE_TIMEOUT);
    }
}
