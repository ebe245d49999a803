package io.portcullis.auth.revocation;

import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CRLs fetched from the HTTP distribution points that client certificates name, cached per URL until the
 * CRL's nextUpdate or the configured cache time, whichever comes first; one fetch per URL is in flight at a
 * time, so a reconnecting fleet that shares a CRL costs one download. A fetched CRL is parsed here and its
 * signature checked where it is used, against the certificate's issuer. A fetched CRL older than the one
 * cached for its URL ({@link CrlSuccession}) does not replace it, so a replayed old CRL cannot take a
 * revocation back; the cache is in memory only, so after a restart or {@link #clear} the first fetch is
 * taken as it is. Thread-safe.
 */
final class DistributionPointCrls {
    private static final Logger LOG = LoggerFactory.getLogger(DistributionPointCrls.class);
    private static final int MAXIMUM_CACHED_URLS = 1_000;

    private final Clock clock;
    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();
    private final Map<URI, CompletableFuture<LoadedCrl>> inFlight = new ConcurrentHashMap<>();
    private volatile Duration cacheTime = Duration.ofHours(1);
    private final LogRateLimiter refusalWarnings = new LogRateLimiter(20, 60_000);

    /**
     * The CRL in use for a URL until {@code until}, and the newest CRL of that URL whose signature was verified
     * where it was used ({@code null} when none was yet), which the next fetch is compared with.
     */
    private record Cached(LoadedCrl crl, Instant until, LoadedCrl reference) {
        LoadedCrl nextReference() {
            return crl.verifiedKey() != null ? crl : reference;
        }
    }

    DistributionPointCrls(Clock clock) {
        this.clock = clock;
    }

    void cacheTime(Duration time) {
        this.cacheTime = time;
    }

    void clear() {
        cache.clear();
    }

    /** The cached, current CRL of this URL, or {@code null}; never fetches. */
    LoadedCrl cached(URI url) {
        Cached cached = cache.get(url);
        return cached != null && clock.instant().isBefore(cached.until()) ? cached.crl() : null;
    }

    /**
     * The CRL of this URL from the cache or fetched; the future fails with a {@link CompletionException}
     * describing what went wrong when the fetch or the parse fails.
     */
    CompletableFuture<LoadedCrl> crl(URI url, HttpFetcher fetcher) {
        LoadedCrl cached = cached(url);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<LoadedCrl> created = new CompletableFuture<>();
        CompletableFuture<LoadedCrl> running = inFlight.putIfAbsent(url, created);
        if (running != null) {
            return running;
        }
        fetcher.get(url).thenApply(body -> parse(url, body)).whenComplete((crl, error) -> {
            inFlight.remove(url, created);
            if (error != null) {
                created.completeExceptionally(error);
            } else {
                created.complete(remember(url, crl));
            }
        });
        return created;
    }

    /**
     * Caches the fetched CRL, or keeps the cached one when the fetched one is older, and returns the one kept.
     * A CRL stays in the map past its cache time, as what the next fetch of its URL is compared with.
     */
    private LoadedCrl remember(URI url, LoadedCrl fetched) {
        Cached held = cache.get(url);
        LoadedCrl reference = held == null ? null : held.nextReference();
        LoadedCrl kept = fetched;
        if (reference != null) {
            Optional<String> refusal = refusal(reference, fetched);
            if (refusal.isPresent()) {
                kept = reference;
                long suppressed = refusalWarnings.tryAcquire(clock.millis());
                if (suppressed >= 0) {
                    LOG.warn("Older CRL refused, keeping the CRL in force: url={} issuer=\"{}\" reason=\"{}\" {} {} "
                                    + "suppressed={}", url,
                            LogText.safe(fetched.crl().getIssuerX500Principal().getName()), refusal.get(),
                            CrlSuccession.fields("refused", fetched.crl()),
                            CrlSuccession.fields("inForce", reference.crl()), suppressed);
                }
            }
        }
        Instant now = clock.instant();
        Instant until = now.plus(cacheTime);
        if (kept.crl().getNextUpdate() != null && kept.crl().getNextUpdate().toInstant().isBefore(until)) {
            until = kept.crl().getNextUpdate().toInstant();
        }
        // A CRL already past its nextUpdate is kept with an 'until' in the past: used for this check (as stale),
        // fetched again next time, and compared with what that fetch brings.
        if (held == null && cache.size() >= MAXIMUM_CACHED_URLS) {
            cache.clear();
        }
        cache.put(url, new Cached(kept, until, reference));
        return kept;
    }

    /**
     * Why {@code fetched} must not replace {@code reference}, a CRL whose signature was verified where it was
     * used. Only a CRL signed by that same key is compared with it: otherwise anyone who can answer on the URL
     * could serve an unsigned CRL with a huge number and lock the genuine ones out. Such a CRL is used (and
     * fails its signature check there) but does not become the reference, so it cannot open the way for a
     * genuine older CRL either.
     */
    private static Optional<String> refusal(LoadedCrl reference, LoadedCrl fetched) {
        PublicKey key = reference.verifiedKey();
        if (!reference.hasSameIssuerAndScope(fetched) || !fetched.isSignedBy(key)) {
            return Optional.empty();
        }
        return CrlSuccession.refusal(reference.crl(), fetched.crl());
    }

    private static LoadedCrl parse(URI url, byte[] body) {
        try {
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(body));
            return new LoadedCrl(crl, "crlDistributionPoint=" + url);
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new CompletionException(new CRLException("not a CRL (" + body.length + " bytes): "
                    + e.getMessage()));
        }
    }
}
