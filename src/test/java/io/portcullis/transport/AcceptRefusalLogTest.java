package io.portcullis.transport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptRefusalLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AcceptLimitHandler.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(100_000);
    private final List<Long> delays = new ArrayList<>();
    private final List<Runnable> tasks = new ArrayList<>();
    private final AcceptRefusalLog log = new AcceptRefusalLog(5_000, now::get, (task, delay) -> {
        tasks.add(task);
        delays.add(delay);
    });

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void runDueTasks() {
        List<Runnable> due = List.copyOf(tasks);
        tasks.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aStormIsSummedUpWhenTheWindowEndsNotAtTheNextRefusal() {
        log.refused("perSourcePerSecond", "/10.0.0.7:1");
        for (int i = 0; i < 187; i++) {
            now.addAndGet(10);
            log.refused(i % 2 == 0 ? "perSourcePerSecond" : "maxPendingHandshakes", "/10.0.0.7:2");
        }

        assertThat(messages()).containsExactly("Connection refused before TLS, limit reached: "
                + "limit=perSourcePerSecond remote=/10.0.0.7:1 refusedSinceLastLog=0");
        assertThat(delays).containsExactly(5_000L - 10);

        now.set(105_000);
        runDueTasks();

        assertThat(messages()).hasSize(2).last().isEqualTo("Accept limit: 187 connections refused in the last 5 s:"
                + " limits=maxPendingHandshakes,perSourcePerSecond");
        assertThat(tasks).isEmpty();

        now.set(400_000);
        log.refused("perSourcePerSecond", "/10.0.0.8:3");
        assertThat(messages()).last().isEqualTo("Connection refused before TLS, limit reached: "
                + "limit=perSourcePerSecond remote=/10.0.0.8:3 refusedSinceLastLog=0");
    }

    @Test
    void aLoneRefusalSchedulesNothing() {
        log.refused("perSourcePerSecond", "/10.0.0.7:1");
        now.addAndGet(6_000);
        log.refused("perSourcePerSecond", "/10.0.0.7:2");

        assertThat(tasks).isEmpty();
        assertThat(messages()).hasSize(2).allMatch(line -> line.endsWith("refusedSinceLastLog=0"));
    }

    @Test
    void aSummaryRunEarlyWaitsForTheEndOfTheWindow() {
        log.refused("perSourcePerSecond", "/10.0.0.7:1");
        now.addAndGet(1_000);
        log.refused("perSourcePerSecond", "/10.0.0.7:2");

        now.addAndGet(2_000);
        runDueTasks();

        assertThat(messages()).hasSize(1);
        assertThat(delays).containsExactly(4_000L, 2_000L);
        // The event loop runs the summary late: the line still names the configured window.
        now.addAndGet(2_900);
        runDueTasks();
        assertThat(messages()).last().isEqualTo("Accept limit: 1 connections refused in the last 5 s:"
                + " limits=perSourcePerSecond");
    }

    @Test
    void aRefusalInTheNextWindowBeforeTheSummaryRanCarriesTheCountItself() {
        log.refused("perSourcePerSecond", "/10.0.0.7:1");
        now.addAndGet(100);
        log.refused("perSourcePerSecond", "/10.0.0.7:2");
        now.addAndGet(5_000);
        log.refused("perSourcePerSecond", "/10.0.0.7:3");
        runDueTasks();

        assertThat(messages()).containsExactly(
                "Connection refused before TLS, limit reached: limit=perSourcePerSecond remote=/10.0.0.7:1 "
                        + "refusedSinceLastLog=0",
                "Connection refused before TLS, limit reached: limit=perSourcePerSecond remote=/10.0.0.7:3 "
                        + "refusedSinceLastLog=1");
    }
}
