package io.portcullis.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogRateLimiterTest {

    @Test
    void letsThePermitsThroughThenHoldsBackUntilTheWindowEnds() {
        LogRateLimiter limiter = new LogRateLimiter(2, 1000);

        assertThat(limiter.tryAcquire(10_000)).isZero();
        assertThat(limiter.tryAcquire(10_100)).isZero();
        assertThat(limiter.tryAcquire(10_200)).isEqualTo(-1);
        assertThat(limiter.tryAcquire(10_999)).isEqualTo(-1);
        assertThat(limiter.tryAcquire(11_000)).isEqualTo(2);
    }

    @Test
    void reportsZeroSuppressedWhenNothingWasHeldBack() {
        LogRateLimiter limiter = new LogRateLimiter(1, 1000);

        assertThat(limiter.tryAcquire(5_000)).isZero();
        assertThat(limiter.tryAcquire(6_000)).isZero();
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThatThrownBy(() -> new LogRateLimiter(0, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogRateLimiter(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
