package io.portcullis.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The token buckets, the bounded source table and the limiter's order of checks, driven by a fake clock. */
class AcceptLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 5 * SECOND);

    private static InetAddress address(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    private static int takes(TokenBucket bucket, long now, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            if (bucket.tryTake(now)) {
                taken++;
            }
        }
        return taken;
    }

    @ParameterizedTest(name = "{0}/s burst {1}: {2} at once, {3} more after {4} ms")
    @CsvSource({
            "10, 5, 5, 1, 100",
            "10, 5, 5, 5, 1000",
            "10, 5, 5, 5, 60000",
            "1000, 1, 1, 1, 1",
            "1, 3, 3, 0, 999",
            "1, 3, 3, 2, 2000"
    })
    void bucketGivesItsBurstThenRefillsAtItsRate(int perSecond, int burst, int atOnce, int later, long afterMillis) {
        TokenBucket bucket = new TokenBucket(perSecond, burst, clock.get());

        assertThat(takes(bucket, clock.get(), burst * 3)).isEqualTo(atOnce);
        long then = clock.get() + afterMillis * 1_000_000L;
        assertThat(takes(bucket, then, burst * 3)).isEqualTo(later);
    }

    @Test
    void bucketIsFullAgainOnceIdleLongEnough() {
        TokenBucket bucket = new TokenBucket(10, 5, clock.get());
        bucket.tryTake(clock.get());
        bucket.tryTake(clock.get());

        assertThat(bucket.isFull(clock.get())).isFalse();
        assertThat(bucket.isFull(clock.get() + SECOND / 5)).isTrue();
    }

    @Test
    void refusesASourceOverItsRateWithoutTouchingOthers() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1, 2, 100, 100, clock::get);

        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isEqualTo(AcceptLimiter.Limit.SOURCE_RATE);
        assertThat(limiter.tryAccept(address(2))).isNull();

        assertThat(limiter.snapshot().refusedSourceRate()).isEqualTo(1);
        assertThat(limiter.snapshot().accepted()).isEqualTo(3);
    }

    @Test
    void refusesOverTheGlobalRate() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1, 3, 100, 100, 100, 100, clock::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAccept(address(i))).isNull();
        }
        assertThat(limiter.tryAccept(address(9))).isEqualTo(AcceptLimiter.Limit.GLOBAL_RATE);
        clock.addAndGet(SECOND);
        assertThat(limiter.tryAccept(address(9))).isNull();
    }

    @Test
    void capsHandshakesInProgressUntilOneEnds() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 2, 100, clock::get);

        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(2))).isNull();
        assertThat(limiter.tryAccept(address(3))).isEqualTo(AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS);
        assertThat(limiter.handshakesInProgress()).isEqualTo(2);

        limiter.handshakeEnded();
        assertThat(limiter.tryAccept(address(3))).isNull();
        assertThat(limiter.snapshot().refusedHandshakesInProgress()).isEqualTo(1);
    }

    @Test
    void aRefusedSourceDoesNotUseUpGlobalTokens() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1, 2, 1, 1, 100, 100, clock::get);

        assertThat(limiter.tryAccept(address(1))).isNull();
        for (int i = 0; i < 50; i++) {
            assertThat(limiter.tryAccept(address(1))).isEqualTo(AcceptLimiter.Limit.SOURCE_RATE);
        }
        assertThat(limiter.tryAccept(address(2))).isNull();
    }

    @Test
    void sourceTableStaysBoundedAndForgetsIdleSources() throws Exception {
        SourceRateLimits sources = new SourceRateLimits(1, 1, 100, clock.get());

        for (int i = 0; i < 10_000; i++) {
            sources.tryTake(address(i), clock.get());
        }
        assertThat(sources.trackedSources()).isEqualTo(100);
        assertThat(sources.untracked()).isEqualTo(9_900);

        // Once their buckets refilled, the first new source after the sweep gap clears them out.
        clock.addAndGet(2 * SECOND);
        assertThat(sources.tryTake(address(20_000), clock.get())).isTrue();
        assertThat(sources.trackedSources()).isEqualTo(1);
    }

    @Test
    void periodicSweepForgetsIdleSourcesBeforeTheTableIsFull() throws Exception {
        SourceRateLimits sources = new SourceRateLimits(10, 1, 1000, clock.get());
        for (int i = 0; i < 50; i++) {
            sources.tryTake(address(i), clock.get());
        }
        assertThat(sources.trackedSources()).isEqualTo(50);

        clock.addAndGet(SourceRateLimits.SWEEP_INTERVAL_NANOS);
        sources.tryTake(address(1), clock.get());

        assertThat(sources.trackedSources()).isEqualTo(1);
    }

    @Test
    void aSourceForgottenByTheSweepStartsWithAFullBucket() throws Exception {
        SourceRateLimits sources = new SourceRateLimits(1, 2, 1000, clock.get());
        assertThat(sources.tryTake(address(1), clock.get())).isTrue();
        assertThat(sources.tryTake(address(1), clock.get())).isTrue();
        assertThat(sources.tryTake(address(1), clock.get())).isFalse();

        // Not yet refilled: a sweep keeps it, so the limit holds.
        sources.sweep(clock.get());
        assertThat(sources.tryTake(address(1), clock.get())).isFalse();
    }
}
