package io.portcullis.auth.revocation;

import ch.qos.logback.classic.Level;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.testsupport.LogCapture;
import io.portcullis.testsupport.MutableClock;
import io.portcullis.testsupport.RevocationPki;
import io.portcullis.testsupport.RevocationResponder.Fault;
import io.portcullis.testsupport.RevocationResponder.Status;
import io.portcullis.testsupport.RevocationResponder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The revocation service against a generated PKI (root → intermediate → clients), CRL files on disk and a
 * loopback OCSP responder and CRL distribution point, with a clock the test moves.
 */
class RevocationServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    static IssuedCertificate root;
    static IssuedCertificate intermediate;
    static IssuedCertificate otherCa;
    static ExecutorService executor;

    @TempDir
    Path directory;
    MutableClock clock;
    RevocationResponder responder;
    RevocationService service;

    @BeforeAll
    static void pki() {
        root = CertificateIssuer.rootCa("Revocation Test Root");
        intermediate = CertificateIssuer.intermediateCa(root, "Revocation Test Intermediate");
        otherCa = CertificateIssuer.rootCa("Unrelated Root");
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopExecutor() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        responder = RevocationResponder.start(intermediate, clock);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        responder.close();
    }

    // ---------------------------------------------------------------- CRL files

    @Test
    void crlFileRevokesTheListedCertificateOnly() throws Exception {
        IssuedCertificate revoked = client("crl-revoked", null, null);
        IssuedCertificate good = client("crl-good", null, null);
        Path file = directory.resolve("intermediate.crl");
        RevocationPki.writePem(file, RevocationPki.crl(intermediate, clock.instant(), revoked.certificate()));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));

        RevocationVerdict verdict = check(revoked);
        assertThat(verdict).isInstanceOfSatisfying(RevocationVerdict.Revoked.class, r -> {
            assertThat(r.reason()).isEqualTo("keyCompromise");
            assertThat(r.source()).isEqualTo("crlFile=" + file);
            assertThat(r.subject()).isEqualTo("CN=crl-revoked");
        });
        assertThat(service.refuses(verdict)).isTrue();
        assertThat(check(good)).isInstanceOf(RevocationVerdict.Good.class);
        assertThat(service.revokedInMemory(revoked.chain())).get().asString().contains("keyCompromise");
        assertThat(service.revokedInMemory(good.chain())).isEmpty();
        assertThat(service.metrics().snapshot()).extracting("good", "revoked", "handshakesRefused")
                .containsExactly(1L, 1L, 1L);
    }

    @Test
    void staleCrlIsUnavailableAndThePolicyDecides() throws Exception {
        IssuedCertificate client = client("stale", null, null);
        IssuedCertificate listed = client("stale-listed", null, null);
        Path file = directory.resolve("stale.crl");
        Instant now = clock.instant();
        RevocationPki.writePem(file, RevocationPki.crl(intermediate.certificate(), intermediate.privateKey(),
                now.minusSeconds(7200), now.plusSeconds(60), Map.of(listed.certificate().getSerialNumber(), 1)));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));
        clock.advance(Duration.ofMinutes(2));

        RevocationVerdict closed = check(client);
        assertThat(closed).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).contains("past its nextUpdate")
                        .endsWith(". Fix: publish a current CRL to this path"));
        assertThat(service.refuses(closed)).isTrue();
        // Revocation is final: a stale CRL that lists the certificate still says revoked.
        assertThat(check(listed)).isInstanceOf(RevocationVerdict.Revoked.class);

        service.apply(crlFiles(file, RevocationFailurePolicy.FailOpen));
        RevocationVerdict open = check(client);
        assertThat(open).isInstanceOf(RevocationVerdict.Unavailable.class);
        assertThat(service.refuses(open)).isFalse();
        assertThat(service.metrics().snapshot()).extracting("unavailableRefused", "unavailableAllowed")
                .containsExactly(1L, 1L);
    }

    @Test
    void crlWhoseSignatureDoesNotVerifyGivesNoAnswerAndThePolicyDecides() throws Exception {
        IssuedCertificate client = client("forged", null, null);
        Path file = directory.resolve("forged.crl");
        // Under the intermediate's name, signed by another key; the intermediate is not known when it is loaded.
        RevocationPki.writePem(file, RevocationPki.crl(intermediate.certificate(), otherCa.privateKey(),
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(3600),
                Map.of(client.certificate().getSerialNumber(), 1)));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));

        RevocationVerdict closed = check(client);
        assertThat(closed).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).isEqualTo("crlFile=" + file
                        + " is not signed by the issuing certificate 'CN=Revocation Test Intermediate'"));
        assertThat(service.refuses(closed)).isTrue();
        assertThat(service.revokedInMemory(client.chain())).isEmpty();

        service.apply(crlFiles(file, RevocationFailurePolicy.FailOpen));
        assertThat(service.refuses(check(client))).isFalse();
    }

    @Test
    void intermediateCrlFileSignedByAnotherKeyIsNotLoadedOnceTheIntermediateIsKnown() throws Exception {
        IssuedCertificate first = client("intermediate-known-first", null, null);
        IssuedCertificate client = client("intermediate-known", null, null);
        Path file = directory.resolve("intermediate.crl");
        RevocationPki.writePem(file, RevocationPki.crl(intermediate, clock.instant(), first.certificate(),
                client.certificate()));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));
        // The check meets the intermediate in a chain that ends at the registered root.
        assertThat(check(first)).isInstanceOf(RevocationVerdict.Revoked.class);

        RevocationPki.writePem(file, RevocationPki.crl(intermediate.certificate(), otherCa.privateKey(),
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(3600), Map.of()));
        service.apply(service.config());

        assertThat(check(client)).as("previous CRL kept").isInstanceOfSatisfying(RevocationVerdict.Revoked.class,
                r -> {
                    assertThat(r.issuer()).isEqualTo("CN=Revocation Test Intermediate");
                    assertThat(r.describe()).isEqualTo("certificate 'CN=intermediate-known' (serial " + r.serial()
                            + ", issuer 'CN=Revocation Test Intermediate') is revoked, reason keyCompromise, per "
                            + "crlFile=" + file);
                });
    }

    @Test
    void applyRereadsCrlFilesKeepsThePreviousOnAnUnusableFileAndAsksForARecheck() throws Exception {
        IssuedCertificate client = client("reloaded", null, null);
        IssuedCertificate intermediateClient = client("root-listed", null, null);
        Path file = directory.resolve("reloaded.crl");
        RevocationPki.writePem(file, RevocationPki.crl(intermediate, clock.instant()));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));
        AtomicInteger rechecks = new AtomicInteger();
        service.onRecheckDue(rechecks::incrementAndGet);
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Good.class);

        RevocationPki.writePem(file, RevocationPki.crl(intermediate, clock.instant(), client.certificate()));
        service.apply(service.config());
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Revoked.class);
        await().atMost(WAIT).until(() -> rechecks.get() == 1);

        Files.writeString(file, "-----BEGIN X509 CRL-----\nnot base64\n");
        service.apply(service.config());
        assertThat(check(client)).as("previous CRL kept").isInstanceOf(RevocationVerdict.Revoked.class);

        // A CRL under the registered root's name is verified when loaded: a forged one is not taken.
        Path rootFile = directory.resolve("root.crl");
        RevocationPki.writePem(rootFile, RevocationPki.crl(root, clock.instant()));
        service.apply(service.config().withCrlFiles(List.of(file, rootFile)));
        RevocationPki.writePem(rootFile, RevocationPki.crl(root.certificate(), otherCa.privateKey(),
                clock.instant().minusSeconds(60), clock.instant().plusSeconds(3600),
                Map.of(intermediate.certificate().getSerialNumber(), 1)));
        service.apply(service.config());
        assertThat(check(intermediateClient)).as("intermediate not revoked by the forged root CRL")
                .isInstanceOf(RevocationVerdict.Good.class);
        RevocationPki.writePem(rootFile, RevocationPki.crl(root, clock.instant(), intermediate.certificate()));
        service.apply(service.config());
        assertThat(check(intermediateClient)).as("intermediate revoked by the root's CRL")
                .isInstanceOfSatisfying(RevocationVerdict.Revoked.class,
                        r -> assertThat(r.subject()).isEqualTo("CN=Revocation Test Intermediate"));
    }

    @Test
    void olderCrlWrittenBackToTheFileIsRefusedAndTheRevocationStays() throws Exception {
        IssuedCertificate client = client("replayed", null, null);
        Path file = directory.resolve("replayed.crl");
        Instant now = clock.instant();
        RevocationPki.writePem(file, numberedCrl(1, now.minusSeconds(3600)));
        service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Good.class);

        RevocationPki.writePem(file, numberedCrl(2, now.minusSeconds(1800), client.certificate()));
        service.apply(service.config());
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Revoked.class);

        try (LogCapture log = new LogCapture(CrlFileSet.class)) {
            RevocationPki.writePem(file, numberedCrl(1, now.minusSeconds(3600)));
            service.apply(service.config());

            assertThat(check(client)).as("CRL #2 kept").isInstanceOf(RevocationVerdict.Revoked.class);
            assertThat(service.revokedInMemory(client.chain())).isPresent();
            assertThat(log.lines(Level.WARN)).containsExactly("Older CRL refused, keeping the CRL in force: path=" + file
                    + " issuer=\"CN=Revocation Test Intermediate\" reason=\"its CRL number 1 is lower than 2, the"
                    + " number of the CRL in force\" refusedCrlNumber=1 refusedThisUpdate=" + now.minusSeconds(3600)
                    .truncatedTo(ChronoUnit.SECONDS) + " inForceCrlNumber=2 inForceThisUpdate="
                    + now.minusSeconds(1800).truncatedTo(ChronoUnit.SECONDS));

            // Decided once per change of the file, not again at each reload.
            service.apply(service.config());
            assertThat(log.lines(Level.WARN)).hasSize(1);
        }

        // A newer CRL is taken, but a revocation is final: one that no longer lists the certificate lifts nothing.
        IssuedCertificate other = client("listed-later", null, null);
        RevocationPki.writePem(file, numberedCrl(3, now.minusSeconds(60), other.certificate()));
        service.apply(service.config());
        assertThat(check(other)).isInstanceOf(RevocationVerdict.Revoked.class);
        assertThat(check(client)).isInstanceOfSatisfying(RevocationVerdict.Revoked.class,
                r -> assertThat(r.source()).isEqualTo("crlFile=" + file + " (remembered: a revocation is final)"));
        assertThat(service.revokedInMemory(client.chain())).isPresent();
    }

    @Test
    void crlFileAlreadyPastItsNextUpdateIsWarnedAboutWhenLoaded() throws Exception {
        Path file = directory.resolve("stale-at-load.crl");
        Instant now = clock.instant();
        RevocationPki.writePem(file, RevocationPki.crl(intermediate.certificate(), intermediate.privateKey(),
                now.minusSeconds(7200), now.minusSeconds(60), Map.of()));

        try (LogCapture log = new LogCapture(CrlFileSet.class)) {
            service = service(crlFiles(file, RevocationFailurePolicy.FailClosed));

            assertThat(log.lines(Level.WARN)).containsExactly("CRL file is past its nextUpdate: path=" + file
                    + " issuer=\"CN=Revocation Test Intermediate\" revoked=0 nextUpdate="
                    + now.minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)
                    + "; under whenUnavailable=FailClosed clients of this CA are refused until a current CRL is"
                    + " written. Fix: publish a current CRL to this path");
        }
    }

    // ---------------------------------------------------------------- OCSP

    @Test
    void ocspGoodRevokedAndUnknown() throws Exception {
        IssuedCertificate good = client("ocsp-good", null, responder.ocspUrl());
        IssuedCertificate revoked = client("ocsp-revoked", null, responder.ocspUrl());
        IssuedCertificate unknown = client("ocsp-unknown", null, responder.ocspUrl());
        responder.status(revoked.certificate().getSerialNumber(), Status.REVOKED);
        responder.status(unknown.certificate().getSerialNumber(), Status.UNKNOWN);
        service = service(ocsp(null, RevocationFailurePolicy.FailClosed));

        assertThat(check(good)).isInstanceOfSatisfying(RevocationVerdict.Good.class,
                g -> assertThat(g.detail()).isEqualTo("ocsp=" + responder.ocspUrl()));
        assertThat(check(revoked)).isInstanceOfSatisfying(RevocationVerdict.Revoked.class, r -> {
            assertThat(r.reason()).isEqualTo("keyCompromise");
            assertThat(r.source()).isEqualTo("ocsp=" + responder.ocspUrl());
        });
        assertThat(check(unknown)).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).contains("unknown"));
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .as("the HTTP exchanges ran on named threads")
                .anyMatch(name -> name.startsWith("portcullis-revocation-fetch-"));
        // The revoked answer is cached, so the TLS gate knows it now.
        assertThat(service.revokedInMemory(revoked.chain())).isPresent();
        assertThat(service.revokedInMemory(good.chain())).isEmpty();
    }

    @Test
    void ocspRevokedCertificateStaysRefusedUnderFailOpenAfterTheCacheTimeWithTheResponderDown() throws Exception {
        IssuedCertificate revoked = client("ocsp-revoked-final", null, responder.ocspUrl());
        responder.status(revoked.certificate().getSerialNumber(), Status.REVOKED);
        service = service(ocsp(null, RevocationFailurePolicy.FailOpen));
        assertThat(check(revoked)).isInstanceOf(RevocationVerdict.Revoked.class);

        responder.close();
        clock.advance(Duration.ofMinutes(10));

        RevocationVerdict later = check(revoked);
        assertThat(later).isInstanceOfSatisfying(RevocationVerdict.Revoked.class, r -> {
            assertThat(r.reason()).isEqualTo("keyCompromise");
            assertThat(r.source()).isEqualTo("ocsp=" + responder.ocspUrl() + " (remembered: a revocation is final)");
        });
        assertThat(service.refuses(later)).isTrue();
        assertThat(service.revokedInMemory(revoked.chain())).get().asString().contains("keyCompromise");
        assertThat(service.recheck(revoked.chain()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(RevocationVerdict.Revoked.class);
        assertThat(service.metrics().snapshot().fetchFailures()).as("no source asked").isZero();
    }

    @Test
    void cachedOcspAnswerAvoidsASecondFetchUntilCacheTimeOrNextUpdate() throws Exception {
        IssuedCertificate client = client("ocsp-cached", null, responder.ocspUrl());
        service = service(ocsp(null, RevocationFailurePolicy.FailClosed));

        assertThat(check(client)).isInstanceOf(RevocationVerdict.Good.class);
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Good.class);
        assertThat(responder.ocspRequests()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Good.class);
        assertThat(responder.ocspRequests()).as("after the cache time").isEqualTo(2);

        responder.answerValidity(Duration.ofSeconds(10));
        clock.advance(Duration.ofMinutes(2));
        check(client);
        clock.advance(Duration.ofSeconds(11));
        check(client);
        assertThat(responder.ocspRequests()).as("never reused past nextUpdate").isEqualTo(4);
    }

    @Test
    void unreachableOrFailingResponderIsUnavailableUnderBothPolicies() throws Exception {
        IssuedCertificate client = client("ocsp-down", null, responder.ocspUrl());
        responder.fault(Fault.HTTP_500);
        service = service(ocsp(null, RevocationFailurePolicy.FailClosed));
        RevocationVerdict failing = check(client);
        assertThat(failing).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).contains("HTTP status 500"));
        assertThat(service.refuses(failing)).isTrue();

        responder.fault(Fault.GARBAGE);
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Unavailable.class);

        responder.close();
        service.apply(ocsp(null, RevocationFailurePolicy.FailOpen));
        RevocationVerdict down = check(client);
        assertThat(down).isInstanceOf(RevocationVerdict.Unavailable.class);
        assertThat(service.refuses(down)).isFalse();
        assertThat(service.metrics().snapshot()).satisfies(s -> {
            assertThat(s.fetchFailures()).isEqualTo(3);
            assertThat(s.unavailableRefused()).isEqualTo(2);
            assertThat(s.unavailableAllowed()).isEqualTo(1);
        });
    }

    @Test
    void ocspAnswerSignedByADelegatedResponderCountsOneSignedByAStrangerDoesNot() throws Exception {
        IssuedCertificate client = client("ocsp-delegated", null, responder.ocspUrl());
        responder.status(client.certificate().getSerialNumber(), Status.REVOKED);
        service = service(ocsp(null, RevocationFailurePolicy.FailClosed));

        responder.signWith(RevocationPki.ocspResponder(otherCa, "Stranger OCSP", clock.instant()));
        assertThat(check(client)).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).contains("signature"));

        responder.signWith(RevocationPki.ocspResponder(intermediate, "Delegated OCSP", clock.instant()));
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Revoked.class);
    }

    @Test
    void configuredResponderIsAskedForLeavesWithoutAia() throws Exception {
        IssuedCertificate client = client("ocsp-configured", null, null);
        responder.status(client.certificate().getSerialNumber(), Status.REVOKED);
        service = service(ocsp(responder.ocspUrl(), RevocationFailurePolicy.FailClosed));
        assertThat(check(client)).isInstanceOf(RevocationVerdict.Revoked.class);
    }

    @Test
    void selfSignedCertificateIsNotChecked() throws Exception {
        IssuedCertificate selfSigned = CertificateIssuer.selfSignedClient("thumbprint-client");
        service = service(ocsp(responder.ocspUrl(), RevocationFailurePolicy.FailClosed));
        assertThat(check(selfSigned)).isInstanceOfSatisfying(RevocationVerdict.Good.class,
                g -> assertThat(g.detail()).contains("self-signed"));
        assertThat(responder.ocspRequests()).isZero();
    }

    // ---------------------------------------------------------------- CRL distribution points

    @Test
    void distributionPointCrlIsFetchedCachedAndChecked() throws Exception {
        IssuedCertificate revoked = client("cdp-revoked", responder.crlUrl("intermediate"), null);
        IssuedCertificate good = client("cdp-good", responder.crlUrl("intermediate"), null);
        responder.publishCrl("intermediate", RevocationPki.crl(intermediate, clock.instant(), revoked.certificate()));
        service = service(distributionPoints(RevocationFailurePolicy.FailClosed));

        assertThat(check(revoked)).isInstanceOfSatisfying(RevocationVerdict.Revoked.class,
                r -> assertThat(r.source()).isEqualTo("crlDistributionPoint=" + responder.crlUrl("intermediate")));
        assertThat(check(good)).isInstanceOf(RevocationVerdict.Good.class);
        assertThat(responder.crlRequests()).as("one fetch for both").isEqualTo(1);
        assertThat(service.revokedInMemory(revoked.chain())).isPresent();

        clock.advance(Duration.ofMinutes(2));
        check(good);
        assertThat(responder.crlRequests()).as("fetched again after crlCacheTime").isEqualTo(2);
    }

    @Test
    void olderCrlServedAgainByTheDistributionPointDoesNotReplaceTheCachedOne() throws Exception {
        // Each step checks a certificate not checked before: a revoked one would be refused from memory.
        IssuedCertificate revoked = client("cdp-replayed", responder.crlUrl("intermediate"), null);
        IssuedCertificate probeA = client("cdp-replayed-a", responder.crlUrl("intermediate"), null);
        IssuedCertificate probeB = client("cdp-replayed-b", responder.crlUrl("intermediate"), null);
        IssuedCertificate unlisted = client("cdp-unlisted", responder.crlUrl("intermediate"), null);
        Instant now = clock.instant();
        responder.publishCrl("intermediate", numberedCrl(2, now.minusSeconds(1800), revoked.certificate(),
                probeA.certificate(), probeB.certificate()));
        service = service(distributionPoints(RevocationFailurePolicy.FailClosed));
        assertThat(check(revoked)).isInstanceOf(RevocationVerdict.Revoked.class);

        try (LogCapture log = new LogCapture(DistributionPointCrls.class)) {
            responder.publishCrl("intermediate", numberedCrl(1, now.minusSeconds(3600)));
            clock.advance(Duration.ofMinutes(2));

            assertThat(check(probeA)).as("CRL #2 kept").isInstanceOf(RevocationVerdict.Revoked.class);
            assertThat(responder.crlRequests()).as("fetched again after crlCacheTime").isEqualTo(2);
            assertThat(service.revokedInMemory(probeB.chain())).as("still cached").isPresent();
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .startsWith("Older CRL refused, keeping the CRL in force: url=" + responder.crlUrl("intermediate")
                            + " issuer=\"CN=Revocation Test Intermediate\"")
                    .contains("refusedCrlNumber=1 ", "inForceCrlNumber=2 ");
        }

        // A CRL of the same issuer under another key is not compared: its signature fails where it is used. It
        // does not displace CRL #2 as what the next fetch is compared with, so #1 is still refused after it.
        responder.publishCrl("intermediate", RevocationPki.crl(intermediate.certificate(), otherCa.privateKey(),
                now.minusSeconds(60), now.plusSeconds(3600), Map.of(), BigInteger.valueOf(99)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(check(unlisted)).isInstanceOf(RevocationVerdict.Unavailable.class);
        responder.publishCrl("intermediate", numberedCrl(1, now.minusSeconds(3600)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(check(probeB)).as("CRL #2 back in force").isInstanceOf(RevocationVerdict.Revoked.class);

        responder.publishCrl("intermediate", numberedCrl(3, now.minusSeconds(60)));
        clock.advance(Duration.ofMinutes(2));
        assertThat(check(unlisted)).as("a newer CRL is taken").isInstanceOf(RevocationVerdict.Good.class);
        assertThat(check(revoked)).as("a revocation is final").isInstanceOf(RevocationVerdict.Revoked.class);
    }

    @Test
    void unreachableDistributionPointIsUnavailable() throws Exception {
        IssuedCertificate client = client("cdp-missing", responder.crlUrl("absent"), null);
        service = service(distributionPoints(RevocationFailurePolicy.FailClosed));
        assertThat(check(client)).isInstanceOfSatisfying(RevocationVerdict.Unavailable.class,
                u -> assertThat(u.why()).contains("HTTP status 404"));
    }

    // ---------------------------------------------------------------- helpers

    private IssuedCertificate client(String name, URI crl, URI ocsp) {
        return RevocationPki.client(intermediate, name, crl, ocsp, clock.instant());
    }

    private static X509CRL numberedCrl(long number, Instant thisUpdate, X509Certificate... revoked) {
        Map<BigInteger, Integer> serials = new LinkedHashMap<>();
        for (X509Certificate certificate : revoked) {
            serials.put(certificate.getSerialNumber(), 1);
        }
        return RevocationPki.crl(intermediate.certificate(), intermediate.privateKey(), thisUpdate,
                thisUpdate.plus(Duration.ofDays(1)), serials, BigInteger.valueOf(number));
    }

    private RevocationService service(RevocationConfig config) {
        return new RevocationService(config, clock, () -> List.of(root.certificate()), executor);
    }

    private RevocationVerdict check(IssuedCertificate certificate) throws Exception {
        return service.check(certificate.chain()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static RevocationConfig crlFiles(Path file, RevocationFailurePolicy policy) {
        return new RevocationConfig(List.of(file), false, Duration.ofMinutes(1), false, null, Duration.ofMinutes(1),
                Duration.ofSeconds(2), policy, Duration.ofHours(1));
    }

    private static RevocationConfig ocsp(URI responderUrl, RevocationFailurePolicy policy) {
        return new RevocationConfig(List.of(), false, Duration.ofMinutes(1), true, responderUrl,
                Duration.ofMinutes(1), Duration.ofSeconds(2), policy, Duration.ofHours(1));
    }

    private static RevocationConfig distributionPoints(RevocationFailurePolicy policy) {
        return new RevocationConfig(List.of(), true, Duration.ofMinutes(1), false, null, Duration.ofMinutes(1),
                Duration.ofSeconds(2), policy, Duration.ofHours(1));
    }
}
