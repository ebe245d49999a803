package io.portcullis.config;

/**
 * Limits on new TCP connections, applied before any TLS work ({@code listeners.acceptLimits}); both
 * listeners share them. A connection over a limit is closed at once without a reply. Rates are token
 * buckets: {@code perSecond} tokens a second, at most {@code burst} saved up.
 *
 * @param perSecond                   accepted connections a second, all sources together
 * @param burst                       how many may arrive at once above that rate
 * @param perSourcePerSecond          accepted connections a second from one IP address
 * @param perSourceBurst              how many one address may open at once
 * @param maximumHandshakesInProgress TLS handshakes (and WebSocket upgrades) under way at once
 * @param maximumHandshakesInProgressPerSource the same for one source (IPv4 address, IPv6 /64); 0 for no cap
 */
public record AcceptLimits(int perSecond, int burst, int perSourcePerSecond, int perSourceBurst,
                           int maximumHandshakesInProgress, int maximumHandshakesInProgressPerSource) {
    /**
     * The defaults. A handshake takes well under a second, so even at {@code perSourceBurst} a source
     * rarely has more than a few under way; 20 per source means at least 100 sources are needed to hold
     * every one of the 2,000 global slots.
     */
    public static final AcceptLimits DEFAULTS = new AcceptLimits(1000, 2000, 50, 100, 2000, 20);

    public AcceptLimits {
        positive(perSecond, "perSecond");
        positive(burst, "burst");
        positive(perSourcePerSecond, "perSourcePerSecond");
        positive(perSourceBurst, "perSourceBurst");
        positive(maximumHandshakesInProgress, "maximumHandshakesInProgress");
        if (maximumHandshakesInProgressPerSource < 0) {
            throw new IllegalArgumentException("maximumHandshakesInProgressPerSource must be at least 0, was "
                    + maximumHandshakesInProgressPerSource);
        }
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }
}
