package io.portcullis.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@link TokenBucket} per source, in a map that cannot grow without bound. A source is an IPv4 address,
 * or the /64 prefix of an IPv6 address ({@link #sourceKey}): one host holds a whole /64 and could otherwise
 * rotate through 2^64 addresses, each with a fresh bucket. At most {@code maximumSources} sources are tracked,
 * and a sweep (at most once per {@link #SWEEP_INTERVAL_NANOS}, or when the map is full) drops every source
 * whose bucket has refilled, since a fresh bucket would be identical. When more distinct sources than that
 * keep every bucket busy, the sources the map has no room for share one overflow bucket of the same size, so
 * a flood of new sources gets the budget of one source, never an unlimited one. A tracked IPv4 source costs
 * no allocation. Thread-safe; sweeps run on the accepting thread that finds one due.
 */
final class SourceRateLimits {

    static final long SWEEP_INTERVAL_NANOS = 10_000_000_000L;
    /** While the map is full, sweeps at most this often, so a storm of new addresses is not O(n) each. */
    static final long FULL_SWEEP_GAP_NANOS = 100_000_000L;

    private final int perSecond;
    private final int burst;
    private final int maximumSources;
    private final ConcurrentHashMap<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final TokenBucket overflow;
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
        this.overflow = new TokenBucket(perSecond, burst, nowNanos);
        this.nextSweep = new AtomicLong(nowNanos + SWEEP_INTERVAL_NANOS);
        this.nextFullSweep = new AtomicLong(nowNanos);
    }

    /**
     * Takes a token from the bucket of the address's source; {@code false} when the source is over its rate,
     * or, when the map is full of busy sources, when the overflow bucket is empty.
     */
    boolean tryTake(InetAddress address, long nowNanos) {
        sweepIfDue(nextSweep, SWEEP_INTERVAL_NANOS, nowNanos);
        InetAddress source = sourceKey(address);
        TokenBucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maximumSources) {
                sweepIfDue(nextFullSweep, FULL_SWEEP_GAP_NANOS, nowNanos);
                if (buckets.size() >= maximumSources) {
                    untracked.increment();
                    return overflow.tryTake(nowNanos);
                }
            }
            TokenBucket created = new TokenBucket(perSecond, burst, nowNanos);
            TokenBucket raced = buckets.putIfAbsent(source, created);
            bucket = raced == null ? created : raced;
        }
        // A sweep may drop this bucket between get and take; the source then gets at most one extra burst.
        return bucket.tryTake(nowNanos);
    }

    /**
     * The source an address is limited as: an IPv4 address as it is, an IPv4-mapped IPv6 address
     * ({@code ::ffff:a.b.c.d}) as that IPv4 address, any other IPv6 address as its /64 prefix (the rest zero,
     * without a scope).
     */
    static InetAddress sourceKey(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        try {
            if (isIpv4Mapped(bytes)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
            }
            Arrays.fill(bytes, 8, 16, (byte) 0);
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always accepted", e);
        }
    }

    private static boolean isIpv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
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

    /** Sources (IPv4 addresses and IPv6 /64 prefixes) currently tracked. */
    int trackedSources() {
        return buckets.size();
    }

    /** Connections checked against the shared overflow bucket because the map was full of busy sources. */
    long untracked() {
        return untracked.sum();
    }
}
