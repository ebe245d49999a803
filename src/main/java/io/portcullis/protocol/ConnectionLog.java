package io.portcullis.protocol;

import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code portcullis.connections} log: one line per connection outcome (connected, refused,
 * disconnected) with reason, authentication name, client id, protocol and remote address. Refusals are
 * WARN and rate-limited, since any peer can cause them. Every field a peer can sway is escaped here, so
 * callers pass raw values: a quoted field with {@link LogText#safe}, a bare one (client id, authentication
 * name) with {@link LogText#token}, so that it cannot add a field; the code fields are the broker's own and
 * are written as they are. Never payloads. Called from any event loop.
 */
final class ConnectionLog {
    private static final Logger LOG = LoggerFactory.getLogger("portcullis.connections");
    private static final LogRateLimiter REFUSALS = new LogRateLimiter(50, 10_000);
    private static final LogRateLimiter CLIENT_ERRORS = new LogRateLimiter(50, 10_000);
    private static final LogRateLimiter FAILURES = new LogRateLimiter(50, 10_000);
    /** The code fields when nothing with a code was sent. */
    static final String NO_CODE = "code=none";

    private ConnectionLog() {
    }

    static void connected(String authName, String clientId, String protocol, String remote, boolean sessionPresent) {
        LOG.info("Client connected: authName={} clientId={} protocol={} remote={} sessionPresent={}",
                LogText.token(authName), LogText.token(clientId), protocol, LogText.safe(remote), sessionPresent);
    }

    /**
     * A refused CONNECT. {@code code} is the code fields ({@code code=0x87}, {@code returnCode=5} for
     * MQTT 3.1.1, or {@link #NO_CODE}); {@code authName} is left out of the line when none was resolved.
     */
    static void refused(long nowMillis, String reason, String code, String authName, String clientId,
                        String subject, String thumbprint, String protocol, String remote) {
        long suppressed = REFUSALS.tryAcquire(nowMillis);
        if (suppressed >= 0) {
            LOG.warn("Connection refused: reason=\"{}\" {}{} clientId={} subject=\"{}\" thumbprint={} protocol={} "
                            + "remote={} suppressed={}", LogText.safe(reason), code, authNameField(authName),
                    LogText.token(clientId), LogText.safe(subject), LogText.token(thumbprint), protocol,
                    LogText.safe(remote), suppressed);
        }
    }

    /** The end of a connection; {@code code} as for {@link #refused}, written as it is (the broker made it). */
    static void disconnected(String reason, String code, String authName, String clientId, String protocol,
                             String remote) {
        LOG.info("Client disconnected: reason=\"{}\" {}{} clientId={} protocol={} remote={}", LogText.safe(reason),
                code, authNameField(authName), LogText.token(clientId), protocol, LogText.safe(remote));
    }

    private static String authNameField(String authName) {
        return authName == null ? "" : " authName=" + LogText.token(authName);
    }

    /**
     * A rate-limited WARN for what a connected client did wrong without being disconnected. {@code what} is
     * a sentence and its own fields, built by the caller, which escapes any peer value in it: with
     * {@link LogText#safe} inside quotes, with {@link LogText#token} in a bare field.
     */
    static void clientError(long nowMillis, String what, String authName, String clientId, String remote) {
        long suppressed = CLIENT_ERRORS.tryAcquire(nowMillis);
        if (suppressed >= 0) {
            LOG.warn("{}: authName={} clientId={} remote={} suppressed={}", what, LogText.token(authName),
                    LogText.token(clientId), LogText.safe(remote), suppressed);
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
                    + "suppressed={}", LogText.safe(cause), LogText.token(authName), LogText.token(clientId),
                    protocol, LogText.safe(remote), suppressed);
        } else {
            LOG.debug("Connection failed, closing: cause=\"{}\" authName={} clientId={} protocol={} remote={}",
                    LogText.safe(cause), LogText.token(authName), LogText.token(clientId), protocol,
                    LogText.safe(remote));
        }
    }

    /** A WARN line; every field is escaped by its place in {@code message} ({@link LogText#fields}). */
    static void warn(String message, Object... fields) {
        LOG.warn(message, LogText.fields(message, fields));
    }

    /** An INFO line; every field is escaped by its place in {@code message} ({@link LogText#fields}). */
    static void info(String message, Object... fields) {
        LOG.info(message, LogText.fields(message, fields));
    }
}
