package io.portcullis.logging;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a log line through at most {@code permits} times per window and counts what it held back, so a
 * client cannot flood the log with WARN lines it can trigger. Lock-free; shared by every connection.
 */
public final class LogRateLimiter {
    private final int permits;
    private final long windowMillis;
    private final AtomicLong windowStart = new AtomicLong();
    private final AtomicLong usedInWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public LogRateLimiter(int permits, long windowMillis) {
        if (permits < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("permits and windowMillis must be positive");
        }
        this.permits = permits;
        this.windowMillis = windowMillis;
    }

    /**
     * Returns -1 when the line must be dropped, else how many lines were dropped since the last one let
     * through (to log as {@code suppressed=N}).
     */
    public long tryAcquire(long nowMillis) {
        long start = windowStart.get();
        if (nowMillis - start >= windowMillis && windowStart.compareAndSet(start, nowMillis)) {
            usedInWindow.set(0);
        }
        if (usedInWindow.incrementAndGet() > permits) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }
}
