package io.portcullis.auth.revocation;

import io.portcullis.logging.LogText;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One parsed CRL and where it came from (a file path or a distribution point URL), with the outcome of
 * checking its signature against each issuer key it was tried with, so a CRL is verified once per key rather
 * than once per connection. Thread-safe: the CRL is immutable and the results are a concurrent map.
 */
final class LoadedCrl {
    private static final String ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
    private static final String DELTA_CRL_INDICATOR = "2.5.29.27";

    private final X509CRL crl;
    private final String origin;
    private final Map<PublicKey, Boolean> signatureChecks = new ConcurrentHashMap<>();

    LoadedCrl(X509CRL crl, String origin) {
        this.crl = Objects.requireNonNull(crl, "crl");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    X509CRL crl() {
        return crl;
    }

    /** For example {@code crlFile=/etc/portcullis/ca.crl} or {@code crlDistributionPoint=http://...}. */
    String origin() {
        return origin;
    }

    /** Whether this CRL was issued under the name of {@code certificate}'s issuer. */
    boolean covers(X509Certificate certificate) {
        return crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /**
     * Whether both CRLs were issued under the same name for the same scope: the same Issuing Distribution
     * Point extension, if any, and both full CRLs or both delta CRLs. CRL Numbers only order CRLs of one issuer
     * and one scope (RFC 5280 section 5.2.3).
     */
    boolean hasSameIssuerAndScope(LoadedCrl other) {
        return crl.getIssuerX500Principal().equals(other.crl.getIssuerX500Principal())
                && Arrays.equals(crl.getExtensionValue(ISSUING_DISTRIBUTION_POINT),
                        other.crl.getExtensionValue(ISSUING_DISTRIBUTION_POINT))
                && (crl.getExtensionValue(DELTA_CRL_INDICATOR) == null)
                == (other.crl.getExtensionValue(DELTA_CRL_INDICATOR) == null);
    }

    /** Whether {@code issuer}'s key signed this CRL. */
    boolean isSignedBy(X509Certificate issuer) {
        return isSignedBy(issuer.getPublicKey());
    }

    /** Whether {@code publicKey} signed this CRL; the outcome is remembered per key. */
    boolean isSignedBy(PublicKey publicKey) {
        return signatureChecks.computeIfAbsent(publicKey, key -> {
            try {
                crl.verify(key);
                return true;
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        });
    }

    /** A key this CRL's signature was found to verify against so far, or {@code null} when none was. */
    PublicKey verifiedKey() {
        for (Map.Entry<PublicKey, Boolean> check : signatureChecks.entrySet()) {
            if (check.getValue()) {
                return check.getKey();
            }
        }
        return null;
    }

    /** Whether every key this CRL was tried with so far refused its signature (at least one was tried). */
    boolean isForged() {
        return !signatureChecks.isEmpty() && !signatureChecks.containsValue(true);
    }

    /** Whether the CRL is past its nextUpdate at {@code now}; a CRL without nextUpdate never is. */
    boolean isStaleAt(Instant now) {
        return crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant());
    }

    /** The revocation reason when the certificate is listed, else {@code null}. */
    String revocationReason(X509Certificate certificate) {
        X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
        if (entry == null) {
            return null;
        }
        return entry.getRevocationReason() == null ? "unspecified" : reasonName(entry.getRevocationReason().name());
    }

    /** The JDK's enum names (KEY_COMPROMISE) in RFC 5280's spelling (keyCompromise). */
    static String reasonName(String constant) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    /** A description for logs: issuer, revoked count, nextUpdate. */
    String describe() {
        int revoked = crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size();
        // The issuer is the CRL's own claim, read before its signature is checked.
        return "issuer=\"" + LogText.safe(crl.getIssuerX500Principal().getName()) + "\" revoked=" + revoked
                + " nextUpdate=" + (crl.getNextUpdate() == null ? "none" : crl.getNextUpdate().toInstant());
    }
}
