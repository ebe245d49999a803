package io.portcullis.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most a fixed number of log lines through per second, so that clients cannot flood the log
 * with failures they cause. Counts what it held back, so the next line can say how many were
 * suppressed. Lock-free; shared by all connections of a listener.
 */
final class LogRateLimiter {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int permitsPerSecond;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    LogRateLimiter(int permitsPerSecond) {
        if (permitsPerSecond < 1) {
            throw new IllegalArgumentException("permitsPerSecond must be >= 1: " + permitsPerSecond);
        }
        this.permitsPerSecond = permitsPerSecond;
    }

    /**
     * @return {@code -1} when the line must be dropped, otherwise how many lines were dropped since the
     *         last one let through
     */
    long tryAcquire() {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            used.set(0);
        }
        if (used.incrementAndGet() > permitsPerSecond) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }
}
