package io.portcullis.admin;

import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import io.portcullis.transport.HandshakeFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * The admin listener's failed handshakes, one WARN line each on {@code portcullis.admin.connections} with the
 * remote address and the reason in plain words, and, when the client presented a certificate that
 * {@link AdminTrustManager} refused, its subject and thumbprint. A handshake that times out is a DEBUG line,
 * as on the MQTT listeners. Any peer can cause these lines, so at most {@link #PER_SECOND} a second are
 * written at WARN; the rest go to DEBUG and the next WARN counts them in {@code suppressed}. One instance per
 * listener, called from its event loop; the limiter is lock-free.
 */
final class AdminRefusalLog {
    /** WARN lines a second, as for the MQTT listeners' TLS failures. */
    static final int PER_SECOND = 10;
    /** The reason when no certificate was sent; also the trust manager's message for an empty chain. */
    static final String NO_CERTIFICATE = "no client certificate; the admin API requires an admin certificate,"
            + " give the client one with its private key (curl: --cert and --key)";
    private static final Logger LOG = LoggerFactory.getLogger("portcullis.admin.connections");

    private final LogRateLimiter limiter;

    AdminRefusalLog() {
        this(new LogRateLimiter(PER_SECOND, 1000));
    }

    AdminRefusalLog(LogRateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Logs why the handshake of {@code channel} failed; {@code cause} is the handshake event's. */
    void handshakeFailed(Channel channel, Throwable cause) {
        if (find(cause, SslHandshakeTimeoutException.class) != null) {
            // A slow or silent client, not a refusal; DEBUG as on the MQTT listeners.
            LOG.debug("Admin API handshake timed out, closing: remote={}", channel.remoteAddress());
            return;
        }
        AdminTrustManager.Refusal refusal = find(cause, AdminTrustManager.Refusal.class);
        String reason = LogText.safe(refusal != null ? refusal.getMessage() : reason(cause));
        long suppressed = limiter.tryAcquire(System.currentTimeMillis());
        boolean isWarn = suppressed >= 0;
        if (refusal != null) {
            String subject = LogText.safe(refusal.subject());
            if (isWarn) {
                LOG.warn("Admin API connection refused: reason=\"{}\" subject=\"{}\" thumbprint={} remote={}"
                                + " suppressed={}", reason, subject, refusal.thumbprint(), channel.remoteAddress(),
                        suppressed);
            } else {
                LOG.debug("Admin API connection refused: reason=\"{}\" subject=\"{}\" thumbprint={} remote={}",
                        reason, subject, refusal.thumbprint(), channel.remoteAddress());
            }
        } else if (isWarn) {
            LOG.warn("Admin API connection refused: reason=\"{}\" remote={} suppressed={}", reason,
                    channel.remoteAddress(), suppressed);
        } else {
            LOG.debug("Admin API connection refused: reason=\"{}\" remote={}", reason, channel.remoteAddress());
        }
    }

    /**
     * The reason for a failure the trust manager did not decide, from what the TLS engine reports. The JDK
     * engine and BoringSSL word the same failure differently; both are recognised.
     */
    static String reason(Throwable cause) {
        if (find(cause, NotSslRecordException.class) != null) {
            // Its message would hex-dump the client's bytes; they are not logged.
            return "not TLS: the client sent something else, plain HTTP perhaps; the admin API speaks HTTPS only";
        }
        if (find(cause, ClosedChannelException.class) != null) {
            return "the client closed the connection during the TLS handshake";
        }
        String text = HandshakeFailures.causeChain(cause);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("empty client certificate chain") || lower.contains("peer_did_not_return_a_certificate")
                || lower.contains("no client certificate")) {
            return NO_CERTIFICATE;
        }
        if (lower.contains("protocol") && (lower.contains("not enabled") || lower.contains("not accepted")
                || lower.contains("unsupported") || lower.contains("no appropriate"))) {
            return "no TLS version in common: the admin API accepts TLS 1.3 and TLS 1.2 only (" + text + ")";
        }
        // BoringSSL says WRONG_CURVE, not NO_SHARED_CIPHER, when a TLS 1.2 client offers only RSA key exchange.
        if (lower.contains("no cipher suites in common") || lower.contains("no_shared_cipher")
                || lower.contains("wrong_curve")) {
            return "no cipher suite or key exchange in common: the admin API accepts the TLS 1.3 suites, and for"
                    + " TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (" + text + ")";
        }
        if (lower.contains("alert") && (lower.contains("certificate") || lower.contains("unknown_ca")
                || lower.contains("unknown ca"))) {
            return "the client refused the broker's server certificate (" + text + "); give the client the CA"
                    + " that issued it (curl: --cacert)";
        }
        if (lower.contains("closed")) {
            return "the client closed the connection during the TLS handshake (" + text + ")";
        }
        return "TLS handshake failed: " + text;
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
