package io.portcullis.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * TLS session resumption settings for the server context ({@code tls.sessionTickets}).
 *
 * @param enabled             issue tickets and accept them; when false no handshake is resumed
 * @param keyRotationInterval how long one ticket encryption key encrypts new tickets; a key still decrypts
 *                            until the tickets it made have expired. JVM-wide, see {@link TlsContextFactory}
 * @param lifetime            how long a ticket may be used after its full handshake, at most 7 days (RFC 8446)
 */
public record SessionTickets(boolean enabled, Duration keyRotationInterval, Duration lifetime) {

    /** RFC 8446 section 4.6.1: a ticket lives at most seven days. */
    public static final Duration MAXIMUM_LIFETIME = Duration.ofDays(7);

    public static final SessionTickets DEFAULTS = new SessionTickets(true, Duration.ofHours(1), Duration.ofHours(2));
    public static final SessionTickets DISABLED = new SessionTickets(false, Duration.ofHours(1), Duration.ofHours(2));

    public SessionTickets {
        Objects.requireNonNull(keyRotationInterval, "keyRotationInterval");
        Objects.requireNonNull(lifetime, "lifetime");
        if (keyRotationInterval.toSeconds() < 1 || lifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("keyRotationInterval and lifetime must be at least one second");
        }
        if (lifetime.compareTo(MAXIMUM_LIFETIME) > 0) {
            throw new IllegalArgumentException("lifetime must be at most 7 days, was " + lifetime);
        }
    }
}
