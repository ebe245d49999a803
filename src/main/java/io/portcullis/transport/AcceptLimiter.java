package io.portcullis.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decides, for each accepted TCP connection and before any TLS work, whether the broker takes it on:
 * a global token bucket, a token bucket per source ({@link SourceRateLimits}: an IPv4 address or an IPv6
 * /64), a cap on handshakes in progress, counted from accept until the MQTT handlers are installed or the
 * connection closes, and a cap on the handshakes in progress of one source, so a few idle sockets cannot pin
 * the global cap and lock every other client out for the handshake timeout. One instance is shared by every
 * listener, so the limits hold for the broker as a whole. A refused connection is closed by
 * {@link AcceptLimitHandler}; this class only decides and counts.
 *
 * <p>Threads: called on the acceptor thread ({@link #tryAccept}) and on connection event loops
 * ({@link #handshakeEnded}); atomics and a concurrent map only, no lock. The counters are read from any thread.
 */
public final class AcceptLimiter {

    /** How many sources (IPv4 addresses, IPv6 /64 prefixes) are tracked at most (about 100 bytes each). */
    public static final int DEFAULT_MAXIMUM_SOURCES = 65_536;

    /** The limit that refused a connection, named as in {@code listeners.acceptLimits}. */
    public enum Limit {
        GLOBAL_RATE("perSecond"),
        SOURCE_RATE("perSourcePerSecond"),
        HANDSHAKES_IN_PROGRESS("maximumHandshakesInProgress"),
        HANDSHAKES_IN_PROGRESS_PER_SOURCE("maximumHandshakesInProgressPerSource");

        private final String settingName;

        Limit(String settingName) {
            this.settingName = settingName;
        }

        /** The configuration key of the limit. */
        public String settingName() {
            return settingName;
        }
    }

    /**
     * The counters at one moment.
     *
     * @param accepted                      connections taken on
     * @param refusedGlobalRate             closed by the global rate
     * @param refusedSourceRate             closed by the per-source rate
     * @param refusedHandshakesInProgress   closed because too many handshakes were under way
     * @param refusedHandshakesPerSource    closed because too many handshakes of their source were under way
     * @param handshakesInProgress          connections accepted and not yet ready for MQTT (gauge)
     * @param trackedSources                sources (IPv4 addresses, IPv6 /64 prefixes) with a bucket (gauge)
     * @param untrackedSources              checked against the one overflow bucket the sources share that the
     *                                      full source table has no room for
     */
    public record Snapshot(long accepted, long refusedGlobalRate, long refusedSourceRate,
                           long refusedHandshakesInProgress, long refusedHandshakesPerSource,
                           int handshakesInProgress, int trackedSources, long untrackedSources) {
        /** All refusals together. */
        public long refused() {
            return refusedGlobalRate + refusedSourceRate + refusedHandshakesInProgress + refusedHandshakesPerSource;
        }
    }

    private final LongSupplier nanoClock;
    private final int maximumHandshakesInProgress;
    private final int maximumHandshakesPerSource;
    private final TokenBucket global;
    private final SourceRateLimits sources;
    private final AtomicInteger handshakesInProgress = new AtomicInteger();
    /** Handshakes in progress by source; a source leaves the map when its count drops to 0, so it stays small. */
    private final ConcurrentHashMap<InetAddress, Integer> handshakesBySource = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refusedGlobalRate = new LongAdder();
    private final LongAdder refusedSourceRate = new LongAdder();
    private final LongAdder refusedHandshakes = new LongAdder();
    private final LongAdder refusedHandshakesPerSource = new LongAdder();

    /**
     * Limits as configured in {@code listeners.acceptLimits}; every value at least 1, except
     * {@code maximumHandshakesPerSource}, where 0 means no cap per source.
     */
    public AcceptLimiter(int perSecond, int burst, int perSourcePerSecond, int perSourceBurst,
                         int maximumHandshakesInProgress, int maximumHandshakesPerSource) {
        this(perSecond, burst, perSourcePerSecond, perSourceBurst, maximumHandshakesInProgress,
                maximumHandshakesPerSource, DEFAULT_MAXIMUM_SOURCES, System::nanoTime);
    }

    AcceptLimiter(int perSecond, int burst, int perSourcePerSecond, int perSourceBurst,
                  int maximumHandshakesInProgress, int maximumHandshakesPerSource, int maximumSources,
                  LongSupplier nanoClock) {
        if (maximumHandshakesInProgress < 1) {
            throw new IllegalArgumentException("maximumHandshakesInProgress must be at least 1");
        }
        if (maximumHandshakesPerSource < 0) {
            throw new IllegalArgumentException("maximumHandshakesPerSource must be at least 0");
        }
        this.maximumHandshakesPerSource = maximumHandshakesPerSource;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.maximumHandshakesInProgress = maximumHandshakesInProgress;
        this.global = new TokenBucket(perSecond, burst, now);
        this.sources = new SourceRateLimits(perSourcePerSecond, perSourceBurst, maximumSources, now);
    }

    /**
     * Takes a new connection from {@code source} on, or names the limit that refuses it. When it returns
     * {@code null} the connection holds a handshake slot until {@link #handshakeEnded} is called once with
     * the same source.
     */
    Limit tryAccept(InetAddress source) {
        // The cheapest checks first; they take no token, so a full broker does not drain the buckets.
        if (handshakesInProgress.get() >= maximumHandshakesInProgress) {
            refusedHandshakes.increment();
            return Limit.HANDSHAKES_IN_PROGRESS;
        }
        InetAddress sourceKey = source == null ? null : SourceRateLimits.sourceKey(source);
        if (sourceKey != null && maximumHandshakesPerSource > 0
                && handshakesBySource.getOrDefault(sourceKey, 0) >= maximumHandshakesPerSource) {
            refusedHandshakesPerSource.increment();
            return Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE;
        }
        long now = nanoClock.getAsLong();
        // Per source before global: one noisy address is refused without using up everyone's tokens.
        if (source != null && !sources.tryTake(source, now)) {
            refusedSourceRate.increment();
            return Limit.SOURCE_RATE;
        }
        if (!global.tryTake(now)) {
            refusedGlobalRate.increment();
            return Limit.GLOBAL_RATE;
        }
        // One acceptor thread calls this, so the caps checked above cannot be overtaken in between.
        handshakesInProgress.incrementAndGet();
        if (sourceKey != null) {
            handshakesBySource.merge(sourceKey, 1, Integer::sum);
        }
        accepted.increment();
        return null;
    }

    /**
     * Gives back the slot of a connection from {@code source} that is ready for MQTT or closed; once per
     * accepted connection.
     */
    void handshakeEnded(InetAddress source) {
        handshakesInProgress.decrementAndGet();
        if (source != null) {
            // Returning null removes the entry, so sources without a handshake in progress cost nothing.
            handshakesBySource.computeIfPresent(SourceRateLimits.sourceKey(source),
                    (key, count) -> count > 1 ? count - 1 : null);
        }
    }

    public long accepted() {
        return accepted.sum();
    }

    public long refusedGlobalRate() {
        return refusedGlobalRate.sum();
    }

    public long refusedSourceRate() {
        return refusedSourceRate.sum();
    }

    public long refusedHandshakesInProgress() {
        return refusedHandshakes.sum();
    }

    public long refusedHandshakesInProgressPerSource() {
        return refusedHandshakesPerSource.sum();
    }

    /** Handshakes in progress of the source of {@code address} (its IPv4 address or IPv6 /64). */
    int handshakesInProgress(InetAddress address) {
        return handshakesBySource.getOrDefault(SourceRateLimits.sourceKey(address), 0);
    }

    /** Connections accepted and not yet ready for MQTT. */
    public int handshakesInProgress() {
        return handshakesInProgress.get();
    }

    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), refusedGlobalRate.sum(), refusedSourceRate.sum(), refusedHandshakes.sum(),
                refusedHandshakesPerSource.sum(), handshakesInProgress.get(), sources.trackedSources(),
                sources.untracked());
    }
}
