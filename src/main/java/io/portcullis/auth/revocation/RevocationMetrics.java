package io.portcullis.auth.revocation;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of revocation checks by outcome and of failed fetches. Updated from fetch threads and event loops
 * without locks; {@link #snapshot} reads them all for the metrics endpoint and tests.
 */
public final class RevocationMetrics {
    private final LongAdder good = new LongAdder();
    private final LongAdder revoked = new LongAdder();
    private final LongAdder unavailableRefused = new LongAdder();
    private final LongAdder unavailableAllowed = new LongAdder();
    private final LongAdder handshakesRefused = new LongAdder();
    private final LongAdder fetchFailures = new LongAdder();

    /**
     * The counters at one moment.
     *
     * @param good               checks that found nothing revoked
     * @param revoked            checks that found a revoked certificate (at CONNECT or in a live session)
     * @param unavailableRefused checks without a current answer that refused the client (FailClosed)
     * @param unavailableAllowed checks without a current answer that let the client in or kept its session
     * @param handshakesRefused  TLS handshakes failed because memory already knew the certificate revoked
     * @param fetchFailures      CRL or OCSP fetches that failed: unreachable, HTTP error, unusable answer
     */
    public record Snapshot(long good, long revoked, long unavailableRefused, long unavailableAllowed,
                           long handshakesRefused, long fetchFailures) {
    }

    void good() {
        good.increment();
    }

    void revoked() {
        revoked.increment();
    }

    void unavailable(boolean refused) {
        (refused ? unavailableRefused : unavailableAllowed).increment();
    }

    void handshakeRefused() {
        handshakesRefused.increment();
    }

    void fetchFailed() {
        fetchFailures.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(good.sum(), revoked.sum(), unavailableRefused.sum(), unavailableAllowed.sum(),
                handshakesRefused.sum(), fetchFailures.sum());
    }
}
