package io.portcullis.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Formats events with the pattern of the shipped {@code logback.xml}, so that the second guard against
 * forged lines (the replace around the message) is checked as Logback itself reads it.
 */
class LogbackPatternTest {

    @Test
    void aLineBreakLeftInAMessageDoesNotStartANewLine() throws IOException {
        PatternLayout layout = shippedLayout();
        LoggingEvent event = event("Client connected: clientId=x\r\n2026-01-01T00:00:00.000Z INFO  [main] "
                + "portcullis.audit - Admin change: FORGED\0\u2028end", null);

        String formatted = layout.doLayout(event);

        assertThat(formatted).endsWith("end" + System.lineSeparator());
        assertThat(formatted.substring(0, formatted.length() - System.lineSeparator().length()))
                .doesNotContain("\n", "\r", "\0", "\u2028")
                .contains("clientId=x  2026-01-01T00:00:00.000Z INFO  [main] portcullis.audit");
    }

    @Test
    void theStackTraceStaysOnItsOwnLines() throws IOException {
        PatternLayout layout = shippedLayout();
        LoggingEvent event = event("Store write failed", new IllegalStateException("disk gone"));

        String formatted = layout.doLayout(event);

        assertThat(formatted.lines().toList()).hasSizeGreaterThan(2);
        assertThat(formatted.lines().toList().get(0)).endsWith("Store write failed");
        assertThat(formatted.lines().toList().get(1)).isEqualTo("java.lang.IllegalStateException: disk gone");
    }

    private static LoggingEvent event(String message, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("portcullis.connections");
        return new LoggingEvent(Logger.class.getName(), logger, Level.WARN, message, thrown, null);
    }

    private static PatternLayout shippedLayout() throws IOException {
        String xml;
        try (InputStream in = LogbackPatternTest.class.getResourceAsStream("/logback.xml")) {
            assertThat(in).as("logback.xml on the class path").isNotNull();
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher pattern = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
        assertThat(pattern.find()).isTrue();
        PatternLayout layout = new PatternLayout();
        layout.setContext(new LoggerContext());
        layout.setPattern(pattern.group(1));
        layout.start();
        return layout;
    }
}
