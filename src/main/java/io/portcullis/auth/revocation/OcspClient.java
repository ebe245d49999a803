package io.portcullis.auth.revocation;

import io.portcullis.auth.CertificateFields;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks OCSP responders (RFC 6960) about certificates: builds the request with BouncyCastle (SHA-1 certificate
 * id, a nonce), posts it, and checks the answer: successful, signed by the issuing CA or by a delegated
 * responder certificate the CA issued with id-kp-OCSPSigning, about the certificate asked for, current, and
 * echoing the nonce when it echoes one. Good and revoked answers are cached for the configured time but
 * never past the answer's nextUpdate; one request per certificate is in flight at a time. Thread-safe.
 */
final class OcspClient {
    private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
    /** Clock difference tolerated between broker and responder for thisUpdate. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int MAXIMUM_CACHED_ANSWERS = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise",
            "affiliationChanged", "superseded", "cessationOfOperation", "certificateHold", "unused",
            "removeFromCRL", "privilegeWithdrawn", "aACompromise");

    private final Clock clock;
    /** How long answers are reused; set whenever the service adopts settings. */
    private volatile Duration cacheTime = Duration.ofMinutes(5);
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<SourceAnswer>> inFlight = new ConcurrentHashMap<>();

    private record Cached(SourceAnswer answer, Instant until) {
    }

    /** Why a fetch failed, for the caller to count and log. */
    interface FailureListener {
        void failed(String kind, URI uri, String why);
    }

    OcspClient(Clock clock) {
        this.clock = clock;
    }

    void cacheTime(Duration time) {
        this.cacheTime = time;
    }

    /** The cached answer for this certificate from this responder, or {@code null}; never fetches. */
    SourceAnswer cached(X509Certificate certificate, X509Certificate issuer, URI responder) {
        Cached cached = cache.get(key(certificate, issuer, responder));
        return cached != null && clock.instant().isBefore(cached.until()) ? cached.answer() : null;
    }

    /** A current answer from the cache or the responder; fetch failures become {@link SourceAnswer.Unavailable}. */
    CompletableFuture<SourceAnswer> check(X509Certificate certificate, X509Certificate issuer, URI responder,
                                          HttpFetcher fetcher, FailureListener failures) {
        SourceAnswer cachedAnswer = cached(certificate, issuer, responder);
        if (cachedAnswer != null) {
            return CompletableFuture.completedFuture(cachedAnswer);
        }
        String key = key(certificate, issuer, responder);
        CompletableFuture<SourceAnswer> created = new CompletableFuture<>();
        CompletableFuture<SourceAnswer> running = inFlight.putIfAbsent(key, created);
        if (running != null) {
            return running;
        }
        ask(certificate, issuer, responder, fetcher, failures).whenComplete((answer, error) -> {
            inFlight.remove(key, created);
            created.complete(answer);
        });
        return created;
    }

    private CompletableFuture<SourceAnswer> ask(X509Certificate certificate, X509Certificate issuer, URI responder,
                                                HttpFetcher fetcher, FailureListener failures) {
        String source = "ocsp=" + responder;
        CertificateID id;
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        byte[] request;
        try {
            id = certificateId(certificate, issuer);
            OCSPReq built = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(
                    Extension.create(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce))))
                    .build();
            request = built.getEncoded();
        } catch (OCSPException | IOException | GeneralSecurityException | OperatorCreationException e) {
            return CompletableFuture.completedFuture(new SourceAnswer.Unavailable(
                    "cannot build an OCSP request for " + responder + ": " + e.getMessage()));
        }
        return fetcher.post(responder, "application/ocsp-request", request).handle((body, error) -> {
            if (error != null) {
                String why = "OCSP responder " + responder + " failed: " + RevocationService.describe(error);
                failures.failed("OCSP", responder, RevocationService.describe(error));
                return new SourceAnswer.Unavailable(why);
            }
            Instant now = clock.instant();
            SourceAnswer answer;
            try {
                answer = interpret(body, id, nonce, issuer, now, source);
            } catch (IOException | OCSPException | GeneralSecurityException | OperatorCreationException e) {
                answer = new SourceAnswer.Unavailable("unusable answer: " + e.getMessage());
            }
            if (answer instanceof SourceAnswer.Unavailable unavailable) {
                failures.failed("OCSP", responder, unavailable.why());
                return new SourceAnswer.Unavailable("OCSP responder " + responder + " gave an " + unavailable.why());
            }
            return answer;
        });
    }

    private SourceAnswer interpret(byte[] body, CertificateID id, byte[] nonce, X509Certificate issuer, Instant now,
                                   String source)
            throws IOException, OCSPException, GeneralSecurityException, OperatorCreationException {
        OCSPResp response = new OCSPResp(body);
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            return new SourceAnswer.Unavailable("unsuccessful answer: response status " + response.getStatus());
        }
        if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
            return new SourceAnswer.Unavailable("unusable answer: not a basic OCSP response");
        }
        String signer = signatureProblem(basic, issuer, now);
        if (signer != null) {
            return new SourceAnswer.Unavailable("unusable answer: " + signer);
        }
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        // The nonce is optional for responders (RFC 6960 4.4.1, and pre-signed answers cannot carry it); one
        // that is echoed must be ours, or the answer may be a replay.
        if (echoed != null && !echoes(echoed, nonce)) {
            return new SourceAnswer.Unavailable("unusable answer: the nonce does not match the request");
        }
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
                return new SourceAnswer.Unavailable("answer from the future: thisUpdate " + thisUpdate);
            }
            if (nextUpdate != null && now.isAfter(nextUpdate)) {
                return new SourceAnswer.Unavailable("out-of-date answer: nextUpdate " + nextUpdate);
            }
            CertificateStatus status = single.getCertStatus();
            if (status instanceof UnknownStatus) {
                return new SourceAnswer.Unavailable("answer 'unknown': the responder does not know the certificate");
            }
            SourceAnswer answer = status instanceof RevokedStatus revoked
                    ? new SourceAnswer.Revoked(revoked.hasRevocationReason()
                            ? reason(revoked.getRevocationReason()) : "unspecified", source)
                    : new SourceAnswer.Good(source);
            remember(keyOf(id, source), answer, now, nextUpdate);
            return answer;
        }
        return new SourceAnswer.Unavailable("unusable answer: no status for the certificate asked about");
    }

    private void remember(String key, SourceAnswer answer, Instant now, Instant nextUpdate) {
        Instant until = now.plus(cacheTime);
        if (nextUpdate != null && nextUpdate.isBefore(until)) {
            until = nextUpdate;
        }
        if (cache.size() >= MAXIMUM_CACHED_ANSWERS) {
            cache.clear();
        }
        cache.put(key, new Cached(answer, until));
    }

    /** Why the answer's signature is not acceptable, or {@code null} when the CA or its delegate signed it. */
    private static String signatureProblem(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OperatorCreationException, OCSPException, GeneralSecurityException {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return null;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate delegate = converter.getCertificate(holder);
            if (!delegate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    || !isSignedBy(delegate, issuer) || !hasOcspSigning(delegate)
                    || CertificateFields.validityProblem(delegate, now).isPresent()) {
                continue;
            }
            if (basic.isSignatureValid(verifiers.build(delegate.getPublicKey()))) {
                return null;
            }
        }
        return "the signature is neither the issuing CA's nor that of a responder certificate the CA issued"
                + " for OCSP signing";
    }

    /** Whether the echoed extension holds our nonce, as RFC 6960 encodes it or as the raw bytes some send. */
    private static boolean echoes(Extension echoed, byte[] nonce) {
        byte[] value = echoed.getExtnValue().getOctets();
        if (Arrays.equals(value, nonce)) {
            return true;
        }
        try {
            return Arrays.equals(ASN1OctetString.getInstance(value).getOctets(), nonce);
        } catch (IllegalArgumentException notAnOctetString) {
            return false;
        }
    }

    private static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean hasOcspSigning(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(OCSP_SIGNING);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    static CertificateID certificateId(X509Certificate certificate, X509Certificate issuer)
            throws GeneralSecurityException, OperatorCreationException, OCSPException {
        return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
    }

    private static String reason(int code) {
        return code >= 0 && code < REASONS.size() ? REASONS.get(code) : "reason " + code;
    }

    private static String key(X509Certificate certificate, X509Certificate issuer, URI responder) {
        try {
            return keyOf(certificateId(certificate, issuer), "ocsp=" + responder);
        } catch (GeneralSecurityException | OperatorCreationException | OCSPException e) {
            throw new IllegalStateException("SHA-1 certificate ids are unavailable", e);
        }
    }

    private static String keyOf(CertificateID id, String source) {
        return source + '|' + Arrays.toString(id.getIssuerNameHash()) + '|' + Arrays.toString(id.getIssuerKeyHash())
                + '|' + id.getSerialNumber().toString(16);
    }
}
