package io.portcullis.transport;

import io.netty.channel.Channel;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WSS listener's refusals before MQTT starts (no MQTT subprotocol, a path other than the MQTT path, a
 * text frame): one WARN line each on {@code portcullis.connections}, rate-limited across all connections
 * since any peer can cause them; what the limiter holds back goes to DEBUG. Called from any event loop.
 */
final class WebSocketRefusalLog {
    private static final Logger LOG = LoggerFactory.getLogger("portcullis.connections");
    private static final LogRateLimiter REFUSALS = new LogRateLimiter(50, 10_000);
    private static final int MAX_DETAIL = 100;

    private WebSocketRefusalLog() {
    }

    /**
     * @param answer what the broker answered ({@code status=400}, {@code close=1003})
     * @param reason why, in the broker's words
     * @param field  the name of the field for what the peer sent that the reason is about
     * @param value  what the peer sent; escaped and cut short here
     */
    static void refused(Channel channel, String answer, String reason, String field, String value) {
        String shown = LogText.safe(value.length() > MAX_DETAIL ? value.substring(0, MAX_DETAIL) + "..." : value);
        long suppressed = REFUSALS.tryAcquire(System.currentTimeMillis());
        if (suppressed >= 0) {
            LOG.warn("WebSocket request refused: {} reason=\"{}\" {}=\"{}\" remote={} suppressed={}", answer, reason,
                    field, shown, channel.remoteAddress(), suppressed);
        } else {
            LOG.debug("WebSocket request refused: {} reason=\"{}\" {}=\"{}\" remote={}", answer, reason, field, shown,
                    channel.remoteAddress());
        }
    }
}
