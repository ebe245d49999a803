package io.portcullis.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code burst} tokens refilled at {@code perSecond}, kept as one atomic "theoretical
 * arrival time" (the generic cell rate algorithm): a take moves that time one interval forward, and is
 * refused when it would lie more than {@code burst} intervals ahead of now. One long, no lock, no
 * allocation per call. Times are {@link System#nanoTime()} values supplied by the caller, so tests drive
 * it with a fake clock. Thread-safe.
 */
final class TokenBucket {

    private final long intervalNanos;
    private final long capacityNanos;
    private final AtomicLong arrival;

    TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be at least 1");
        }
        this.intervalNanos = Math.max(1, 1_000_000_000L / perSecond);
        this.capacityNanos = intervalNanos * burst;
        // A new bucket is full: the first take moves the arrival time one interval past now.
        this.arrival = new AtomicLong(nowNanos);
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        while (true) {
            long current = arrival.get();
            // Differences, not comparisons, because nanoTime values may wrap.
            long start = current - nowNanos < 0 ? nowNanos : current;
            long next = start + intervalNanos;
            if (next - nowNanos > capacityNanos) {
                return false;
            }
            if (arrival.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** Whether the bucket is full again, so forgetting it loses nothing: a new one would be the same. */
    boolean isFull(long nowNanos) {
        return arrival.get() - nowNanos <= 0;
    }
}
