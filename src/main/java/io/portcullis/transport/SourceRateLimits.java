package io.portcullis.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@link TokenBucket} per source IP address, in a map that cannot grow without bound: at most
 * {@code maximumSources} addresses are tracked, and a sweep (at most once per {@link #SWEEP_INTERVAL_NANOS},
 * or when the map is full) drops every address whose bucket has refilled, since a fresh bucket would be
 * identical. When a storm from more distinct addresses than that keeps every bucket busy, a new address
 * is let through to the global limit untracked and counted, rather than refused for being new. A source
 * already tracked costs no allocation. Thread-safe; sweeps run on the accepting thread that finds one due.
 */
final class SourceRateLimits {

    static final long SWEEP_INTERVAL_NANOS = 10_000_000_000L;
    /** While the map is full, sweeps at most this often, so a storm of new addresses is not O(n) each. */
    static final long FULL_SWEEP_GAP_NANOS = 100_000_000L;

    private final int perSecond;
    private final int burst;
    private final int maximumSources;
    private final ConcurrentHashMap<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;
    private final AtomicLong nextFullSweep;
    private final LongAdder untracked = new LongAdder();

    SourceRateLimits(int perSecond, int burst, int maximumSources, long nowNanos) {
        if (maximumSources < 1) {
            throw new IllegalArgumentException("maximumSources must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maximumSources = maximumSources;
        this.nextSweep = new AtomicLong(nowNanos + SWEEP_INTERVAL_NANOS);
        this.nextFullSweep = new AtomicLong(nowNanos);
    }

    /** Takes a token from the source's bucket; {@code false} when the source is over its rate. */
    boolean tryTake(InetAddress source, long nowNanos) {
        sweepIfDue(nextSweep, SWEEP_INTERVAL_NANOS, nowNanos);
        TokenBucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maximumSources) {
                sweepIfDue(nextFullSweep, FULL_SWEEP_GAP_NANOS, nowNanos);
                if (buckets.size() >= maximumSources) {
                    untracked.increment();
                    return true;
                }
            }
            TokenBucket created = new TokenBucket(perSecond, burst, nowNanos);
            TokenBucket raced = buckets.putIfAbsent(source, created);
            bucket = raced == null ? created : raced;
        }
        // A sweep may drop this bucket between get and take; the source then gets at most one extra burst.
        return bucket.tryTake(nowNanos);
    }

    private void sweepIfDue(AtomicLong next, long gap, long nowNanos) {
        long due = next.get();
        if (nowNanos - due >= 0 && next.compareAndSet(due, nowNanos + gap)) {
            sweep(nowNanos);
        }
    }

    /** Drops the buckets that have refilled. */
    void sweep(long nowNanos) {
        buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
    }

    /** Addresses currently tracked. */
    int trackedSources() {
        return buckets.size();
    }

    /** Connections let through without a per-source check because the table was full of busy sources. */
    long untracked() {
        return untracked.sum();
    }
}
