package io.portcullis.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For the TLS and authentication integration tests: captures the {@code portcullis.connections} log
 * (raised to INFO while open) and, to look for key material, everything that reaches the root logger.
 * Restores both on close. Appenders are filled on event loops and read on the test thread.
 */
final class TlsAuthLog implements AutoCloseable {
    private final Logger connections = (Logger) LoggerFactory.getLogger("portcullis.connections");
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previousLevel = connections.getLevel();
    private final ListAppender<ILoggingEvent> connectionLines = new ListAppender<>();
    private final ListAppender<ILoggingEvent> allLines = new ListAppender<>();

    TlsAuthLog() {
        connectionLines.start();
        allLines.start();
        connections.setLevel(Level.INFO);
        connections.addAppender(connectionLines);
        root.addAppender(allLines);
    }

    /** The formatted connection-log lines so far. */
    List<String> connectionLines() {
        synchronized (connectionLines.list) {
            return connectionLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Every captured event of any logger, connection lines included. */
    List<ILoggingEvent> allEvents() {
        List<ILoggingEvent> events = new ArrayList<>();
        synchronized (connectionLines.list) {
            events.addAll(connectionLines.list);
        }
        synchronized (allLines.list) {
            events.addAll(allLines.list);
        }
        return events;
    }

    /** Every captured line of any logger, with its stack trace if it has one. */
    List<String> allLines() {
        List<ILoggingEvent> events;
        synchronized (allLines.list) {
            events = List.copyOf(allLines.list);
        }
        return events.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }

    /** Asserts that no captured line holds PEM key text or the key's encoding in Base64 or hex. */
    void assertNoKeyMaterial(PrivateKey... keys) {
        for (String line : allLines()) {
            assertThat(line).doesNotContain("PRIVATE KEY");
            for (PrivateKey key : keys) {
                byte[] encoded = key.getEncoded();
                // A 24-byte window of the encoding is long enough to be unique, short enough to catch parts.
                byte[] window = Arrays.copyOfRange(encoded, encoded.length - 24, encoded.length);
                String base64 = Base64.getEncoder().encodeToString(encoded);
                assertThat(line).doesNotContain(base64.substring(base64.length() / 2, base64.length() / 2 + 32))
                        .doesNotContainIgnoringCase(HexFormat.of().formatHex(window));
            }
        }
    }

    @Override
    public void close() {
        connections.detachAppender(connectionLines);
        root.detachAppender(allLines);
        connections.setLevel(previousLevel);
    }
}
