package io.portcullis.auth.revocation;

import io.portcullis.auth.CertificateFields;
import io.portcullis.auth.KnownRevocations;
import io.portcullis.auth.revocation.CertificationPaths.Link;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Decides whether client certificates are revoked, from three sources: CRL files named in the settings,
 * CRLs fetched from the certificates' CRL distribution points, and OCSP responders (the configured one, else
 * the certificate's AIA). Which certificates are checked: the leaf with every enabled source, and each
 * intermediate below the registered CA with the sources at hand for it (CRL files, its own distribution
 * points and AIA responder, never the configured responder, which speaks for leaves). A self-signed
 * certificate (a ThumbprintMatch client) has no issuer that could revoke it and is not checked: removing its
 * thumbprint is its revocation; a registered CA certificate is an anchor and is not checked either.
 *
 * <p>A CRL counts only when its issuer's key signed it. A CRL file is verified when loaded against the
 * registered CA certificates with the CRL's issuer name and the intermediate CAs with that name met since the
 * start in checked chains that end at a registered CA; a file that fails is not loaded and the path keeps its
 * previous CRLs. A CRL file of an issuer not known at load time, and every fetched CRL, is verified when used,
 * against the issuing certificate found for the certificate being checked, in the chain the client sent (a
 * chain the TLS gate validated to a registered CA) or among the registered CAs; a CRL file that fails then
 * gives no answer, so the policy decides.
 *
 * <p>A revocation is final: a certificate some source said was revoked is remembered until its notAfter
 * ({@link RevokedCertificates}) and refused from then on before any source is asked, under either policy, so
 * it does not get back in when the answer leaves a cache and the responder is unreachable, or when its CRL is
 * replaced.
 *
 * <p>Threads: {@link #revokedInMemory} runs on event loops and only reads memory; {@link #check} and
 * {@link #recheck} run on a bounded fetch executor and fetch asynchronously with the JDK HTTP client;
 * {@link #apply} serializes with itself; live-session rechecks run on one scheduler thread.
 */
public final class RevocationService implements KnownRevocations, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationService.class);
    static final int FETCH_THREADS = 4;
    static final int FETCH_QUEUE = 10_000;

    private final Clock clock;
    private final CertificationPaths paths;
    private final ExecutorService fetchExecutor;
    private final boolean ownsFetchExecutor;
    /** Where the HTTP client runs its exchanges and completes its futures; every fetcher shares it. */
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;
    private final OcspClient ocsp;
    private final DistributionPointCrls distributionPoints;
    private final RevocationMetrics metrics = new RevocationMetrics();
    private final RevokedCertificates revoked = new RevokedCertificates();
    private final List<Runnable> recheckListeners = new CopyOnWriteArrayList<>();
    private final LogRateLimiter sourceWarnings = new LogRateLimiter(20, 60_000);
    private final LogRateLimiter verdictWarnings = new LogRateLimiter(50, 10_000);
    private volatile Settings settings;
    /** Guarded by {@code this}. */
    private ScheduledFuture<?> recheckTask;

    /** The settings in force and what was built from them; replaced whole by {@link #apply}. */
    private record Settings(RevocationConfig config, CrlFileSet crlFiles, HttpFetcher fetcher) {
    }

    /**
     * A service with its own bounded fetch executor ({@value #FETCH_THREADS} threads, at most
     * {@value #FETCH_QUEUE} checks waiting), which {@link #close} stops.
     *
     * @param registeredCas the registered CA certificates of the current registry snapshot
     */
    public static RevocationService start(RevocationConfig config, Clock clock,
                                          Supplier<? extends Collection<X509Certificate>> registeredCas) {
        return new RevocationService(config, clock, registeredCas, boundedExecutor(), true);
    }

    /** A service using the caller's fetch executor, which the caller shuts down. */
    public RevocationService(RevocationConfig config, Clock clock,
                             Supplier<? extends Collection<X509Certificate>> registeredCas,
                             ExecutorService fetchExecutor) {
        this(config, clock, registeredCas, fetchExecutor, false);
    }

    private RevocationService(RevocationConfig config, Clock clock,
                              Supplier<? extends Collection<X509Certificate>> registeredCas,
                              ExecutorService fetchExecutor, boolean ownsFetchExecutor) {
        this.clock = clock;
        this.paths = new CertificationPaths(registeredCas);
        this.fetchExecutor = fetchExecutor;
        this.ownsFetchExecutor = ownsFetchExecutor;
        this.ocsp = new OcspClient(clock);
        this.distributionPoints = new DistributionPointCrls(clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portcullis-revocation-recheck");
            thread.setDaemon(true);
            return thread;
        });
        this.httpExecutor = Executors.newCachedThreadPool(namedDaemons("portcullis-revocation-fetch-"));
        this.settings = new Settings(RevocationConfig.DISABLED, CrlFileSet.EMPTY,
                new HttpFetcher(config.fetchTimeout(), httpExecutor));
        adopt(config, false);
    }

    private static ExecutorService boundedExecutor() {
        return new ThreadPoolExecutor(FETCH_THREADS, FETCH_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(FETCH_QUEUE), namedDaemons("portcullis-revocation-check-"));
    }

    /** Daemon threads named {@code prefix} and a count, so a thread dump says what they are for. */
    private static ThreadFactory namedDaemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------- settings

    /**
     * Adopts new settings: re-reads every CRL file (a file that no longer parses or verifies keeps its previous
     * CRLs, and one that now holds an older CRL of an issuer keeps that issuer's CRL in force, each with a WARN
     * naming the path and why), and, when the CRLs changed, re-checks connected clients at once. Any thread;
     * applies are serialized.
     */
    public void apply(RevocationConfig next) {
        adopt(next, true);
    }

    private synchronized void adopt(RevocationConfig next, boolean recheckOnChange) {
        Settings before = settings;
        CrlFileSet files = CrlFileSet.load(next.crlFiles(), before.crlFiles(), paths::knownIssuers,
                clock.instant(), next.whenUnavailable());
        HttpFetcher fetcher = before.fetcher().timeout().equals(next.fetchTimeout()) ? before.fetcher()
                : new HttpFetcher(next.fetchTimeout(), httpExecutor);
        settings = new Settings(next, files, fetcher);
        ocsp.cacheTime(next.ocspCacheTime());
        distributionPoints.cacheTime(next.crlCacheTime());
        if (!next.crlDistributionPoints()) {
            distributionPoints.clear();
        }
        if (recheckTask == null || !before.config().liveSessionRecheckInterval()
                .equals(next.liveSessionRecheckInterval())) {
            scheduleRechecks(next.liveSessionRecheckInterval());
        }
        boolean settingsChanged = !next.equals(before.config());
        if (settingsChanged && !next.isEnabled() && before.config().isEnabled()) {
            LOG.info("Revocation checking off: no CRL file, CRL distribution points or OCSP configured");
        }
        if (settingsChanged && next.isEnabled()) {
            LOG.info("Revocation checking on: crlFiles={} crlDistributionPoints={} ocsp={} ocspResponder={} "
                            + "whenUnavailable={} liveSessionRecheckInterval={}", next.crlFiles().size(),
                    next.crlDistributionPoints(), next.ocspEnabled(),
                    next.ocspResponder() == null ? "certificate AIA" : next.ocspResponder(), next.whenUnavailable(),
                    next.liveSessionRecheckInterval());
        }
        if (recheckOnChange && !files.sameAs(before.crlFiles())) {
            scheduler.execute(this::runRechecks);
        }
    }

    /** Whether any source is on. */
    public boolean isEnabled() {
        return settings.config().isEnabled();
    }

    /** The settings in force. */
    public RevocationConfig config() {
        return settings.config();
    }

    public RevocationMetrics metrics() {
        return metrics;
    }

    // ---------------------------------------------------------------- checks

    /**
     * The full check of a new connection's chain, fetching what is not cached. Completes on a fetch or HTTP
     * thread, never exceptionally. Counted by outcome; an unavailable answer that the policy lets in is logged
     * here (WARN, rate-limited), a refusal is left to the caller, who logs the connection's refusal.
     */
    public CompletableFuture<RevocationVerdict> check(List<X509Certificate> chain) {
        return run(chain, false);
    }

    /**
     * The check of a connected client's chain. Only {@link RevocationVerdict.Revoked} should end the session:
     * without a current answer a live session is kept, whatever the policy, so an unreachable responder does not
     * drop the whole fleet at once (it is counted as allowed and logged).
     */
    public CompletableFuture<RevocationVerdict> recheck(List<X509Certificate> chain) {
        return run(chain, true);
    }

    /** Whether a new connection with this verdict is refused: revoked, or unavailable under FailClosed. */
    public boolean refuses(RevocationVerdict verdict) {
        return verdict instanceof RevocationVerdict.Revoked
                || verdict instanceof RevocationVerdict.Unavailable
                && settings.config().whenUnavailable() == RevocationFailurePolicy.FailClosed;
    }

    private CompletableFuture<RevocationVerdict> run(List<X509Certificate> chain, boolean liveSession) {
        if (!isEnabled() || chain.isEmpty()) {
            return CompletableFuture.completedFuture(new RevocationVerdict.Good("revocation checking is off"));
        }
        CompletableFuture<RevocationVerdict> verdict;
        try {
            verdict = CompletableFuture.supplyAsync(() -> evaluate(chain), fetchExecutor)
                    .thenCompose(future -> future);
        } catch (RejectedExecutionException e) {
            verdict = CompletableFuture.completedFuture(new RevocationVerdict.Unavailable(
                    "too many revocation checks are waiting (" + FETCH_QUEUE + ")"));
        }
        return verdict.exceptionally(error -> new RevocationVerdict.Unavailable("the check failed: "
                        + describe(error)))
                .thenApply(result -> counted(result, chain.get(0), liveSession));
    }

    private RevocationVerdict counted(RevocationVerdict verdict, X509Certificate leaf, boolean liveSession) {
        if (verdict instanceof RevocationVerdict.Good good) {
            metrics.good();
            LOG.debug("Revocation check passed: subject=\"{}\" serial={} detail=\"{}\"",
                    LogText.safe(CertificateFields.subject(leaf)), CertificateFields.serialHex(leaf),
                    LogText.safe(good.detail()));
        } else if (verdict instanceof RevocationVerdict.Revoked) {
            metrics.revoked();
        } else if (verdict instanceof RevocationVerdict.Unavailable unavailable) {
            boolean refused = !liveSession && refuses(verdict);
            metrics.unavailable(refused);
            if (!refused) {
                // A refusal is logged by the connection it refuses, with the policy; this is the let-through case.
                long suppressed = verdictWarnings.tryAcquire(clock.millis());
                if (suppressed >= 0) {
                    LOG.warn("Revocation status unavailable, {}: whenUnavailable={} subject=\"{}\" serial={} "
                                    + "issuer=\"{}\" thumbprint={} reason=\"{}\" suppressed={}",
                            liveSession ? "session kept (only a revoked answer ends a live session)"
                                    : "client allowed", settings.config().whenUnavailable(),
                            LogText.safe(CertificateFields.subject(leaf)), CertificateFields.serialHex(leaf),
                            LogText.safe(leaf.getIssuerX500Principal().getName()), CertificateFields.thumbprint(leaf),
                            LogText.safe(unavailable.why()), suppressed);
                }
            }
        }
        return verdict;
    }

    private CompletableFuture<RevocationVerdict> evaluate(List<X509Certificate> chain) {
        Settings current = settings;
        List<Link> links = paths.of(chain);
        if (links.isEmpty()) {
            String why = CertificationPaths.isSelfIssued(chain.get(0)) ? "self-signed, not checked"
                    : "issuer not found, not checked";
            return CompletableFuture.completedFuture(new RevocationVerdict.Good(why));
        }
        paths.remember(links);
        RevocationVerdict.Revoked known = knownRevoked(links);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        List<CompletableFuture<List<SourceAnswer>>> perCertificate = new ArrayList<>();
        for (Link link : links) {
            perCertificate.add(answers(link, current));
        }
        return CompletableFuture.allOf(perCertificate.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<List<SourceAnswer>> all = new ArrayList<>();
            for (CompletableFuture<List<SourceAnswer>> answers : perCertificate) {
                all.add(answers.join());
            }
            return verdict(links, all);
        });
    }

    private CompletableFuture<List<SourceAnswer>> answers(Link link, Settings current) {
        Instant now = clock.instant();
        List<CompletableFuture<SourceAnswer>> answers = new ArrayList<>();
        SourceAnswer fromFiles = fromCrlFiles(link, current, now);
        if (fromFiles != null) {
            answers.add(CompletableFuture.completedFuture(fromFiles));
        }
        if (current.config().crlDistributionPoints()) {
            for (URI url : CertificateUrls.crlDistributionPoints(link.certificate())) {
                answers.add(distributionPoints.crl(url, current.fetcher()).handle((crl, error) -> {
                    if (error != null) {
                        sourceFailed("CRL distribution point", url, describe(error));
                        return new SourceAnswer.Unavailable("CRL distribution point " + url + " failed: "
                                + describe(error));
                    }
                    return fromFetchedCrl(crl, link, url);
                }));
            }
        }
        URI responder = current.config().ocspEnabled() ? responderFor(link, current.config()) : null;
        if (responder != null) {
            answers.add(ocsp.check(link.certificate(), link.issuer(), responder, current.fetcher(),
                    (kind, uri, why) -> sourceFailed(kind, uri, why)));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<SourceAnswer> done = new ArrayList<>();
            for (CompletableFuture<SourceAnswer> answer : answers) {
                done.add(answer.join());
            }
            return done;
        });
    }

    private RevocationVerdict verdict(List<Link> links, List<List<SourceAnswer>> answers) {
        List<String> unavailable = new ArrayList<>();
        List<String> good = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            boolean isGood = false;
            List<String> missing = new ArrayList<>();
            for (SourceAnswer answer : answers.get(i)) {
                if (answer instanceof SourceAnswer.Revoked revokedAnswer) {
                    return remembered(links.get(i), revokedAnswer);
                }
                if (answer instanceof SourceAnswer.Good ok) {
                    isGood = true;
                    good.add(ok.source());
                } else if (answer instanceof SourceAnswer.Unavailable none) {
                    missing.add(none.why());
                }
            }
            // One current answer for a certificate is enough: redundant sources are there for availability.
            if (!isGood) {
                unavailable.addAll(missing);
            }
        }
        if (!unavailable.isEmpty()) {
            return new RevocationVerdict.Unavailable(String.join("; ", unavailable));
        }
        return new RevocationVerdict.Good(good.isEmpty() ? "no source applies" : String.join(", ", good));
    }

    /**
     * The CRL files' answer for one certificate, or {@code null} when no file covers its issuer. A file that
     * covers the issuer's name but is not signed by its key gives no answer: the certificate then has no current
     * answer from the files, and the policy decides, as for a stale CRL.
     */
    private SourceAnswer fromCrlFiles(Link link, Settings current, Instant now) {
        SourceAnswer unusable = null;
        SourceAnswer good = null;
        for (LoadedCrl crl : current.crlFiles().all()) {
            if (!crl.covers(link.certificate())) {
                continue;
            }
            if (!crl.isSignedBy(link.issuer())) {
                long suppressed = sourceWarnings.tryAcquire(clock.millis());
                if (suppressed >= 0) {
                    LOG.warn("CRL not used, its signature does not verify against the issuing certificate: {} {} "
                                    + "issuingCertificate=\"{}\" whenUnavailable={} suppressed={}", crl.origin(),
                            crl.describe(), LogText.safe(CertificateFields.subject(link.issuer())),
                            current.config().whenUnavailable(), suppressed);
                }
                unusable = new SourceAnswer.Unavailable(crl.origin() + " is not signed by the issuing certificate '"
                        + CertificateFields.subject(link.issuer()) + "'");
                continue;
            }
            String reason = crl.revocationReason(link.certificate());
            if (reason != null) {
                return new SourceAnswer.Revoked(reason, crl.origin());
            }
            if (crl.isStaleAt(now)) {
                unusable = new SourceAnswer.Unavailable(crl.origin() + " is past its nextUpdate "
                        + crl.crl().getNextUpdate().toInstant() + ". Fix: " + CrlFileSet.STALE_FIX);
            } else {
                good = new SourceAnswer.Good(crl.origin());
            }
        }
        return good != null ? good : unusable;
    }

    private SourceAnswer fromFetchedCrl(LoadedCrl crl, Link link, URI url) {
        if (!crl.covers(link.certificate()) || !crl.isSignedBy(link.issuer())) {
            String why = "the CRL is not signed by the certificate's issuer '"
                    + CertificateFields.subject(link.issuer()) + "'";
            sourceFailed("CRL distribution point", url, why);
            return new SourceAnswer.Unavailable("CRL distribution point " + url + ": " + why);
        }
        String reason = crl.revocationReason(link.certificate());
        if (reason != null) {
            return new SourceAnswer.Revoked(reason, crl.origin());
        }
        if (crl.isStaleAt(clock.instant())) {
            return new SourceAnswer.Unavailable(crl.origin() + " is past its nextUpdate "
                    + crl.crl().getNextUpdate().toInstant());
        }
        return new SourceAnswer.Good(crl.origin());
    }

    private static URI responderFor(Link link, RevocationConfig config) {
        if (link.isLeaf() && config.ocspResponder() != null) {
            return config.ocspResponder();
        }
        List<URI> named = CertificateUrls.ocspResponders(link.certificate());
        return named.isEmpty() ? null : named.get(0);
    }

    /**
     * The revocation of a certificate of the path that a source reported before, or {@code null}: a revocation
     * is final, so it is refused before any source is asked, whatever the policy and whatever the sources say
     * now.
     */
    private RevocationVerdict.Revoked knownRevoked(List<Link> links) {
        for (Link link : links) {
            RevokedCertificates.Entry entry = revoked.find(link.certificate(), link.issuer());
            if (entry != null) {
                return new RevocationVerdict.Revoked(CertificateFields.subject(link.certificate()),
                        CertificateFields.serialHex(link.certificate()), CertificateFields.subject(link.issuer()),
                        entry.reason(), entry.source() + " (remembered: a revocation is final)");
            }
        }
        return null;
    }

    /** The verdict for a revoked answer about {@code link}'s certificate, which is remembered from now on. */
    private RevocationVerdict.Revoked remembered(Link link, SourceAnswer.Revoked answer) {
        revoked.remember(link.certificate(), link.issuer(), answer.reason(), answer.source(), clock.instant());
        return new RevocationVerdict.Revoked(CertificateFields.subject(link.certificate()),
                CertificateFields.serialHex(link.certificate()), CertificateFields.subject(link.issuer()),
                answer.reason(), answer.source());
    }

    // ---------------------------------------------------------------- the TLS gate

    /**
     * Whether memory already knows a certificate of the chain to be revoked: revocations reported before (kept
     * until the certificate expires), CRL files, cached distribution point CRLs and cached OCSP answers. No
     * I/O; safe on an event loop.
     */
    @Override
    public Optional<String> revokedInMemory(List<X509Certificate> chain) {
        Settings current = settings;
        if (!current.config().isEnabled() || chain.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Link> links = paths.of(chain);
        RevocationVerdict.Revoked known = knownRevoked(links);
        if (known != null) {
            metrics.handshakeRefused();
            return Optional.of(known.describe());
        }
        for (Link link : links) {
            List<SourceAnswer> answers = new ArrayList<>();
            answers.add(fromCrlFiles(link, current, now));
            if (current.config().crlDistributionPoints()) {
                for (URI url : CertificateUrls.crlDistributionPoints(link.certificate())) {
                    LoadedCrl crl = distributionPoints.cached(url);
                    if (crl != null && crl.covers(link.certificate()) && crl.isSignedBy(link.issuer())) {
                        answers.add(fromFetchedCrl(crl, link, url));
                    }
                }
            }
            URI responder = current.config().ocspEnabled() ? responderFor(link, current.config()) : null;
            if (responder != null) {
                answers.add(ocsp.cached(link.certificate(), link.issuer(), responder));
            }
            for (SourceAnswer answer : answers) {
                if (answer instanceof SourceAnswer.Revoked revokedAnswer) {
                    metrics.handshakeRefused();
                    return Optional.of(remembered(link, revokedAnswer).describe());
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- live sessions

    /**
     * Registers what re-checks connected clients. It runs on the service's scheduler thread every
     * {@code liveSessionRecheckInterval} while checking is on, and at once after {@link #apply} changed the CRLs.
     */
    public void onRecheckDue(Runnable recheck) {
        recheckListeners.add(recheck);
    }

    private synchronized void scheduleRechecks(Duration interval) {
        if (recheckTask != null) {
            recheckTask.cancel(false);
        }
        long millis = interval.toMillis();
        recheckTask = scheduler.scheduleWithFixedDelay(this::runRechecks, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void runRechecks() {
        if (!isEnabled()) {
            return;
        }
        for (Runnable listener : recheckListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.error("Live-session revocation recheck failed", e);
            }
        }
    }

    // ---------------------------------------------------------------- failures

    private void sourceFailed(String kind, URI url, String why) {
        metrics.fetchFailed();
        long suppressed = sourceWarnings.tryAcquire(clock.millis());
        if (suppressed >= 0) {
            LOG.warn("Revocation source failed: source=\"{}\" url={} reason=\"{}\" whenUnavailable={} "
                    + "suppressed={}", kind, LogText.token(url), LogText.safe(why), settings.config().whenUnavailable(),
                    suppressed);
        }
    }

    /** The innermost cause of a fetch failure in a few words. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Stops the rechecks, the HTTP fetches and, when the service made it, the fetch executor. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
        if (ownsFetchExecutor) {
            fetchExecutor.shutdownNow();
        }
    }
}
