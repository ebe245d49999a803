package io.portcullis.transport;

import io.netty.handler.ssl.NotSslRecordException;

/**
 * Turns the exception of a failed TLS handshake into one line of text for a refusal log line: the cause
 * chain's class names and messages, a message repeated by the next cause left out, no further cause added
 * once the text reaches {@value #MAXIMUM_LENGTH} characters (a message is never cut: the broker's own
 * refusal reasons are long and end with the fix). A {@link NotSslRecordException}'s message is left out:
 * it hex-dumps the bytes the peer sent. The text is not escaped; the log line does that. Stateless.
 */
public final class HandshakeFailures {
    static final int MAXIMUM_LENGTH = 300;

    private HandshakeFailures() {
    }

    /** The cause chain as {@code Type: message <- Type: message}. */
    public static String causeChain(Throwable cause) {
        StringBuilder text = new StringBuilder();
        String previousMessage = null;
        for (Throwable t = cause; t != null && text.length() < MAXIMUM_LENGTH; t = t.getCause()) {
            String message = t instanceof NotSslRecordException ? null : t.getMessage();
            if (message != null && message.equals(previousMessage)) {
                continue;
            }
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (message != null) {
                text.append(": ").append(message);
            }
            previousMessage = message;
        }
        return text.toString();
    }
}
