package io.portcullis.auth.revocation;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CRLs fetched from the HTTP distribution points that client certificates name, cached per URL until the
 * CRL's nextUpdate or the configured cache time, whichever comes first; one fetch per URL is in flight at a
 * time, so a reconnecting fleet that shares a CRL costs one download. A fetched CRL is parsed here and its
 * signature checked where it is used, against the certificate's issuer. Thread-safe.
 */
final class DistributionPointCrls {
    private static final int MAXIMUM_CACHED_URLS = 1_000;

    private final Clock clock;
    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();
    private final Map<URI, CompletableFuture<LoadedCrl>> inFlight = new ConcurrentHashMap<>();
    private volatile Duration cacheTime = Duration.ofHours(1);

    private record Cached(LoadedCrl crl, Instant until) {
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
                remember(url, crl);
                created.complete(crl);
            }
        });
        return created;
    }

    private void remember(URI url, LoadedCrl crl) {
        Instant now = clock.instant();
        Instant until = now.plus(cacheTime);
        if (crl.crl().getNextUpdate() != null && crl.crl().getNextUpdate().toInstant().isBefore(until)) {
            until = crl.crl().getNextUpdate().toInstant();
        }
        if (!until.isAfter(now)) {
            // Already past its nextUpdate: used for this check (as stale), fetched again next time.
            return;
        }
        if (cache.size() >= MAXIMUM_CACHED_URLS) {
            cache.clear();
        }
        cache.put(url, new Cached(crl, until));
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
