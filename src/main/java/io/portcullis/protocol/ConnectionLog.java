package io.portcullis.protocol;

import io.portcullis.logging.LogRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code portcullis.connections} log: one line per connection outcome (connected, refused,
 * disconnected) with reason, authentication name, client id, protocol and remote address. Refusals are
 * WARN and rate-limited, since any peer can cause them. Never payloads. Called from any event loop.
 */
final class ConnectionLog {
    private static final Logger LOG = LoggerFactory.getLogger("portcullis.connections");
    private static final LogRateLimiter REFUSALS = new LogRateLimiter(50, 10_000);
    private static final LogRateLimiter CLIENT_ERRORS = new LogRateLimiter(50, 10_000);
    private static final LogRateLimiter FAILURES = new LogRateLimiter(50, 10_000);

    private ConnectionLog() {
    }

    static void connected(String authName, String clientId, String protocol, String remote, boolean sessionPresent) {
        LOG.info("Client connected: authName={} clientId={} protocol={} remote={} sessionPresent={}", authName,
                clientId, protocol, remote, sessionPresent);
    }

    static void refused(long nowMillis, String reason, int reasonCode, String authName, String clientId,
                        String subject, String thumbprint, String protocol, String remote) {
        long suppressed = REFUSALS.tryAcquire(nowMillis);
        if (suppressed >= 0) {
            LOG.warn("Connection refused: reason=\"{}\" code=0x{} authName={} clientId={} subject=\"{}\" "
                            + "thumbprint={} protocol={} remote={} suppressed={}", reason, hex(reasonCode), authName,
                    clientId, subject, thumbprint, protocol, remote, suppressed);
        }
    }

    static void disconnected(String reason, int reasonCode, String authName, String clientId, String protocol,
                             String remote) {
        LOG.info("Client disconnected: reason=\"{}\" code={} authName={} clientId={} protocol={} remote={}", reason,
                reasonCode < 0 ? "none" : "0x" + hex(reasonCode), authName, clientId, protocol, remote);
    }

    /** A rate-limited WARN for what a connected client did wrong without being disconnected. */
    static void clientError(long nowMillis, String what, String authName, String clientId, String remote) {
        long suppressed = CLIENT_ERRORS.tryAcquire(nowMillis);
        if (suppressed >= 0) {
            LOG.warn("{}: authName={} clientId={} remote={} suppressed={}", what, authName, clientId, remote,
                    suppressed);
        }
    }

    /**
     * A connection the peer broke (TLS, WebSocket framing, undecodable bytes): WARN without a stack trace,
     * rate-limited; what the limiter holds back goes to DEBUG.
     */
    static void failed(long nowMillis, String cause, String authName, String clientId, String protocol,
                       String remote) {
        long suppressed = FAILURES.tryAcquire(nowMillis);
        if (suppressed >= 0) {
            LOG.warn("Connection failed, closing: cause=\"{}\" authName={} clientId={} protocol={} remote={} "
                    + "suppressed={}", cause, authName, clientId, protocol, remote, suppressed);
        } else {
            LOG.debug("Connection failed, closing: cause=\"{}\" authName={} clientId={} protocol={} remote={}",
                    cause, authName, clientId, protocol, remote);
        }
    }

    static void warn(String message, Object... fields) {
        LOG.warn(message, fields);
    }

    static void info(String message, Object... fields) {
        LOG.info(message, fields);
    }

    private static String hex(int code) {
        return String.format("%02X", code);
    }
}
