package io.portcullis.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The log of connections the accept limits refuse before TLS: the first refusal of a window is one WARN line
 * with the remote address; the ones after it in the same window are counted, and once the window ends a
 * summary line gives their number, so a storm shows up when it happens rather than at the next refusal,
 * which may come minutes later. Confined to the listener's acceptor event loop, on which the summary is
 * scheduled too.
 */
final class AcceptRefusalLog {
    /** Runs a task after a delay, on the thread that calls {@link #refused}. */
    interface Scheduler {
        void schedule(Runnable task, long delayMillis);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AcceptLimitHandler.class);

    private final long windowMillis;
    private final LongSupplier clock;
    private final Scheduler scheduler;
    private final Set<String> heldBackLimits = new TreeSet<>();
    private long windowStart;
    private boolean windowOpen;
    private long heldBack;
    private boolean summaryScheduled;

    AcceptRefusalLog(long windowMillis, LongSupplier clock, Scheduler scheduler) {
        if (windowMillis < 1) {
            throw new IllegalArgumentException("windowMillis must be positive");
        }
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** One refused connection; {@code limit} is the setting that refused it. */
    void refused(String limit, Object remote) {
        long now = clock.getAsLong();
        if (!windowOpen || now - windowStart >= windowMillis) {
            // Refusals held back in an earlier window are normally summarized already; if the summary has
            // not run yet, they are reported here and the summary finds nothing left.
            LOG.warn("Connection refused before TLS, limit reached: limit={} remote={} refusedSinceLastLog={}",
                    limit, remote, heldBack);
            heldBack = 0;
            heldBackLimits.clear();
            windowStart = now;
            windowOpen = true;
            return;
        }
        heldBack++;
        heldBackLimits.add(limit);
        if (!summaryScheduled) {
            summaryScheduled = true;
            scheduler.schedule(this::summarize, Math.max(0, windowStart + windowMillis - now));
        }
    }

    private String windowText() {
        return windowMillis % 1000 == 0 ? windowMillis / 1000 + " s" : windowMillis + " ms";
    }

    /** Logs how many refusals were held back since the last line, if any. */
    void summarize() {
        summaryScheduled = false;
        if (heldBack == 0) {
            return;
        }
        long now = clock.getAsLong();
        if (now - windowStart < windowMillis) {
            // Run early (a scheduler may): wait for the end of the window, so the line keeps its promise.
            summaryScheduled = true;
            scheduler.schedule(this::summarize, windowStart + windowMillis - now);
            return;
        }
        // The count covers exactly one window, however late this runs: a later refusal opens a new window.
        LOG.warn("Accept limit: {} connections refused in the last {}: limits={}", heldBack, windowText(),
                String.join(",", heldBackLimits));
        heldBack = 0;
        heldBackLimits.clear();
    }
}
