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
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1, 2, 100, 0, 100, clock::get);

        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isEqualTo(AcceptLimiter.Limit.SOURCE_RATE);
        assertThat(limiter.tryAccept(address(2))).isNull();

        assertThat(limiter.snapshot().refusedSourceRate()).isEqualTo(1);
        assertThat(limiter.snapshot().accepted()).isEqualTo(3);
    }

    @Test
    void refusesOverTheGlobalRate() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1, 3, 100, 100, 100, 0, 100, clock::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAccept(address(i))).isNull();
        }
        assertThat(limiter.tryAccept(address(9))).isEqualTo(AcceptLimiter.Limit.GLOBAL_RATE);
        clock.addAndGet(SECOND);
        assertThat(limiter.tryAccept(address(9))).isNull();
    }

    @Test
    void capsHandshakesInProgressUntilOneEnds() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 2, 0, 100, clock::get);

        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(2))).isNull();
        assertThat(limiter.tryAccept(address(3))).isEqualTo(AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS);
        assertThat(limiter.handshakesInProgress()).isEqualTo(2);

        limiter.handshakeEnded(address(1));
        assertThat(limiter.tryAccept(address(3))).isNull();
        assertThat(limiter.snapshot().refusedHandshakesInProgress()).isEqualTo(1);
    }

    @ParameterizedTest(name = "cap {0}: {1} at once from one source, {2} from another: {3} refused")
    @CsvSource({
            "3, 5, 2, 2",
            "3, 3, 3, 0",
            "1, 4, 1, 3",
            "20, 25, 20, 5",
            "0, 50, 50, 0"
    })
    void capsHandshakesInProgressPerSource(int cap, int fromFirst, int fromSecond, int refused) throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 1000, cap, 100, clock::get);

        for (int i = 0; i < fromFirst; i++) {
            AcceptLimiter.Limit limit = limiter.tryAccept(address(1));
            boolean isWithinCap = cap == 0 || i < cap;
            assertThat(limit).isEqualTo(isWithinCap ? null : AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE);
        }
        for (int i = 0; i < fromSecond; i++) {
            assertThat(limiter.tryAccept(address(2))).isNull();
        }

        assertThat(limiter.snapshot().refusedHandshakesPerSource()).isEqualTo(refused);
        assertThat(limiter.refusedHandshakesInProgressPerSource()).isEqualTo(refused);
        assertThat(limiter.handshakesInProgress(address(1))).isEqualTo(fromFirst - refused);
        assertThat(limiter.handshakesInProgress()).isEqualTo(fromFirst + fromSecond - refused);
    }

    @ParameterizedTest(name = "{0} and {1} share a source: {2}")
    @CsvSource({
            "10.0.0.7, ::ffff:10.0.0.7, true",
            "2001:db8:1:2::1, 2001:db8:1:2:ffff::9, true",
            "2001:db8:1:2::1, 2001:db8:1:3::1, false",
            "10.0.0.7, 10.0.0.8, false"
    })
    void countsHandshakesPerSourceAsTheRateDoes(String first, String second, boolean isShared) throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 1000, 1, 100, clock::get);

        assertThat(limiter.tryAccept(InetAddress.getByName(first))).isNull();

        assertThat(limiter.tryAccept(InetAddress.getByName(second)))
                .isEqualTo(isShared ? AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE : null);
    }

    @Test
    void aSourceGetsItsSlotsBackAsItsHandshakesEnd() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 1000, 2, 100, clock::get);
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isEqualTo(AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE);

        limiter.handshakeEnded(address(1));
        assertThat(limiter.tryAccept(address(1))).isNull();
        limiter.handshakeEnded(address(1));
        limiter.handshakeEnded(address(1));

        assertThat(limiter.handshakesInProgress(address(1))).isZero();
        assertThat(limiter.handshakesInProgress()).isZero();
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isNull();
    }

    @Test
    void aHandshakeSlotIsGivenBackOnceHoweverItEnds() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1000, 1000, 1000, 2, 100, clock::get);
        assertThat(limiter.tryAccept(address(1))).isNull();
        assertThat(limiter.tryAccept(address(1))).isNull();
        AcceptLimitHandler.HandshakeSlot slot = new AcceptLimitHandler.HandshakeSlot(limiter, address(1));

        // MQTT installed, then the channel closes: one release.
        slot.release();
        slot.operationComplete(null);

        assertThat(limiter.handshakesInProgress(address(1))).isEqualTo(1);
        assertThat(limiter.handshakesInProgress()).isEqualTo(1);
    }

    @Test
    void aSourceRefusedByItsHandshakeCapUsesNoTokens() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1000, 1000, 1, 2, 1000, 1, 100, clock::get);
        assertThat(limiter.tryAccept(address(1))).isNull();
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.tryAccept(address(1))).isEqualTo(AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE);
        }

        limiter.handshakeEnded(address(1));

        assertThat(limiter.tryAccept(address(1))).isNull();
    }

    @Test
    void aRefusedSourceDoesNotUseUpGlobalTokens() throws Exception {
        AcceptLimiter limiter = new AcceptLimiter(1, 2, 1, 1, 100, 0, 100, clock::get);

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
