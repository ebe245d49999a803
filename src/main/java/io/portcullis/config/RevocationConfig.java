package io.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How client certificates are checked for revocation ({@code revocation} in the file). All sources
 * are off by default; any that are on are checked on every listener.
 *
 * @param crlFiles                   CRL files (PEM or DER), re-read when they change
 * @param crlDistributionPoints      fetch the CRLs named in client certificates' CRL distribution points
 *                                   (HTTP only)
 * @param crlCacheTime               a fetched CRL is fetched again after this long, or at its nextUpdate
 *                                   when that comes first
 * @param ocspEnabled                ask OCSP responders
 * @param ocspResponder              the responder to ask; {@code null} means the one in each certificate's
 *                                   Authority Information Access extension
 * @param ocspCacheTime              how long a "good" OCSP answer is reused (never beyond its nextUpdate)
 * @param fetchTimeout               connect and read timeout of one HTTP fetch (CRL or OCSP)
 * @param whenUnavailable            what a check decides without a current answer
 * @param liveSessionRecheckInterval how often the certificates of connected clients are checked again
 */
public record RevocationConfig(List<Path> crlFiles, boolean crlDistributionPoints, Duration crlCacheTime,
                               boolean ocspEnabled, URI ocspResponder, Duration ocspCacheTime, Duration fetchTimeout,
                               RevocationFailurePolicy whenUnavailable, Duration liveSessionRecheckInterval) {
    public static final Duration DEFAULT_CRL_CACHE_TIME = Duration.ofHours(1);
    public static final Duration DEFAULT_OCSP_CACHE_TIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RECHECK_INTERVAL = Duration.ofSeconds(60);

    /** No revocation checking. */
    public static final RevocationConfig DISABLED = new RevocationConfig(List.of(), false, DEFAULT_CRL_CACHE_TIME,
            false, null, DEFAULT_OCSP_CACHE_TIME, DEFAULT_FETCH_TIMEOUT, RevocationFailurePolicy.FailClosed,
            DEFAULT_RECHECK_INTERVAL);

    public RevocationConfig {
        crlFiles = List.copyOf(crlFiles);
        Objects.requireNonNull(crlCacheTime, "crlCacheTime");
        Objects.requireNonNull(ocspCacheTime, "ocspCacheTime");
        Objects.requireNonNull(fetchTimeout, "fetchTimeout");
        Objects.requireNonNull(whenUnavailable, "whenUnavailable");
        Objects.requireNonNull(liveSessionRecheckInterval, "liveSessionRecheckInterval");
    }

    /** Whether any revocation source is configured. */
    public boolean isEnabled() {
        return !crlFiles.isEmpty() || crlDistributionPoints || ocspEnabled;
    }

    /** This configuration with other CRL files. */
    public RevocationConfig withCrlFiles(List<Path> files) {
        return new RevocationConfig(files, crlDistributionPoints, crlCacheTime, ocspEnabled, ocspResponder,
                ocspCacheTime, fetchTimeout, whenUnavailable, liveSessionRecheckInterval);
    }
}
