package io.portcullis.auth.revocation;

import io.portcullis.auth.CertificateFields;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The certificates some source has said are revoked, remembered until the certificate's own notAfter, so that
 * a revocation stays final when its answer leaves a cache, its responder becomes unreachable or its CRL is no
 * longer in force (RFC 5280 section 3.3: a revoked certificate is never valid again). The exception is
 * {@code certificateHold}, which the CA may lift, and which is therefore not remembered. A certificate is known
 * by its serial and its issuer's public key, and a revoked answer is only taken after the source's signature
 * was checked against that key. The memory is bounded; when it is full, what it holds is kept, new entries
 * are not taken, and a WARN says so once. It lives as long as the process: a restart forgets it. Thread-safe,
 * lock-free reads; no I/O, so it may be asked on an event loop.
 */
final class RevokedCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(RevokedCertificates.class);
    static final int MAXIMUM_ENTRIES = 100_000;
    private static final String CERTIFICATE_HOLD = "certificateHold";

    /** A remembered revocation: the reason and source of the answer, and when the certificate expires. */
    record Entry(String reason, String source, Instant notAfter) {
    }

    private final int maximum;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean fullReported = new AtomicBoolean();

    RevokedCertificates() {
        this(MAXIMUM_ENTRIES);
    }

    RevokedCertificates(int maximum) {
        this.maximum = maximum;
    }

    /** The remembered revocation of {@code certificate} issued by {@code issuer}, or {@code null}. */
    Entry find(X509Certificate certificate, X509Certificate issuer) {
        return entries.get(key(certificate, issuer));
    }

    /**
     * Remembers that {@code certificate} is revoked, until its notAfter; a hold, or a certificate already
     * expired at {@code now}, is not remembered.
     */
    void remember(X509Certificate certificate, X509Certificate issuer, String reason, String source, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (CERTIFICATE_HOLD.equals(reason) || !now.isBefore(notAfter)) {
            return;
        }
        String key = key(certificate, issuer);
        if (entries.containsKey(key)) {
            return;
        }
        if (entries.size() >= maximum) {
            entries.values().removeIf(entry -> !now.isBefore(entry.notAfter()));
        }
        if (entries.size() >= maximum) {
            if (fullReported.compareAndSet(false, true)) {
                LOG.warn("Revoked certificates not remembered any more: the memory holds {} unexpired revoked "
                                + "certificates, its limit; those are kept, and a newly revoked one is refused only "
                                + "while a source still says so. First not remembered: subject=\"{}\" serial={}",
                        maximum, LogText.safe(CertificateFields.subject(certificate)),
                        CertificateFields.serialHex(certificate));
            }
            return;
        }
        entries.put(key, new Entry(reason, source, notAfter));
    }

    int size() {
        return entries.size();
    }

    private static String key(X509Certificate certificate, X509Certificate issuer) {
        try {
            byte[] issuerKey = MessageDigest.getInstance("SHA-256").digest(issuer.getPublicKey().getEncoded());
            return HexFormat.of().formatHex(issuerKey) + '|' + certificate.getSerialNumber().toString(16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
