package io.portcullis.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LogRateLimiterTest {

    @Test
    void letsThePermitsThroughThenCountsWhatItHoldsBack() {
        LogRateLimiter limiter = new LogRateLimiter(2);

        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isEqualTo(-1);
        assertThat(limiter.tryAcquire()).isEqualTo(-1);

        await().atMost(Duration.ofSeconds(3)).until(() -> limiter.tryAcquire() >= 0);
    }

    @Test
    void reportsTheSuppressedCountOnTheNextLineLetThrough() throws InterruptedException {
        LogRateLimiter limiter = new LogRateLimiter(1);
        limiter.tryAcquire();
        limiter.tryAcquire();
        limiter.tryAcquire();

        Thread.sleep(1100);

        assertThat(limiter.tryAcquire()).isEqualTo(2);
    }
}
