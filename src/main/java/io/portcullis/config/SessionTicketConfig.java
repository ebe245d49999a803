package io.portcullis.config;

import java.time.Duration;
import java.util.Objects;

/**
 * TLS session resumption with tickets ({@code tls.sessionTickets}): a returning client skips the
 * public-key work of a full handshake. Its certificate's registry status and revocation are still
 * checked at CONNECT.
 *
 * @param enabled             issue and accept tickets
 * @param keyRotationInterval a new ticket encryption key this often; tickets under the previous key
 *                            stay valid until it is rotated out too
 * @param lifetime            how long a ticket may be used after its full handshake
 */
public record SessionTicketConfig(boolean enabled, Duration keyRotationInterval, Duration lifetime) {
    public static final SessionTicketConfig DEFAULTS =
            new SessionTicketConfig(true, Duration.ofHours(1), Duration.ofHours(2));

    public SessionTicketConfig {
        Objects.requireNonNull(keyRotationInterval, "keyRotationInterval");
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
