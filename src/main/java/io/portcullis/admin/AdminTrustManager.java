package io.portcullis.admin;

import io.portcullis.config.AdminConfig;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import io.portcullis.pki.Thumbprints;
import io.portcullis.transport.ClientOnlyTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides in the admin listener's TLS handshake whether a client certificate is an admin certificate: its
 * SHA-256 thumbprint is one of {@code admin.thumbprints}, or its chain validates (PKIX, validity dates, no
 * revocation check) to one of {@code admin.caCertificates}. Both also require the leaf to be inside its
 * validity dates. Device CAs and device thumbprints from the registry are never consulted. The trust can be
 * swapped by {@link #update} (a configuration reload); each handshake reads it once. Runs on event loops
 * concurrently; lock-free.
 */
final class AdminTrustManager extends ClientOnlyTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(AdminTrustManager.class);
    private final Clock clock;
    private final LogRateLimiter refusalLog = new LogRateLimiter(10, 1000);
    private volatile Trust trust;

    /** Admin CAs as trust anchors, and admin thumbprints (upper-case hex). */
    private record Trust(Set<TrustAnchor> anchors, List<X509Certificate> caCertificates, Set<String> thumbprints) {
    }

    AdminTrustManager(AdminConfig config, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        update(config);
    }

    /** Makes later handshakes trust what {@code config} lists; handshakes in progress keep the old trust. */
    void update(AdminConfig config) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : config.caCertificates()) {
            anchors.add(new TrustAnchor(ca, null));
        }
        trust = new Trust(Set.copyOf(anchors), config.caCertificates(), Set.copyOf(config.thumbprints()));
    }

    /** Whether the current trust admits {@code chain}; for connections opened under an earlier trust. */
    boolean admits(X509Certificate[] chain) {
        try {
            check(List.of(chain), trust);
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    @Override
    protected void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("No client certificate presented");
        }
        try {
            check(List.of(chain), trust);
        } catch (CertificateException e) {
            long suppressed = refusalLog.tryAcquire(clock.millis());
            if (suppressed >= 0) {
                LOG.warn("Admin API refused a client certificate: subject=\"{}\" thumbprint={} reason=\"{}\""
                                + " suppressed={}", LogText.safe(chain[0].getSubjectX500Principal().getName()),
                        Thumbprints.thumbprint(chain[0]), LogText.safe(e.getMessage()), suppressed);
            }
            throw e;
        }
    }

    private void check(List<X509Certificate> chain, Trust current) throws CertificateException {
        X509Certificate leaf = chain.get(0);
        Date now = Date.from(clock.instant());
        leaf.checkValidity(now);
        if (current.thumbprints().contains(Thumbprints.thumbprint(leaf))) {
            return;
        }
        if (current.anchors().isEmpty()) {
            throw new CertificateException("not an admin certificate: its thumbprint is not an admin thumbprint"
                    + " and no admin CA is configured");
        }
        // The path ends below the anchor: a client that also sends the admin CA itself must still validate.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (!current.caCertificates().contains(certificate)) {
                path.add(certificate);
            }
        }
        if (path.isEmpty()) {
            throw new CertificateException("not an admin certificate: it is an admin CA certificate itself");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(current.anchors());
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            pkix().validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new CertificateException("admin certificate validation is unavailable: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("not an admin certificate: " + e.getMessage(), e);
        }
    }

    private static CertPathValidator pkix() throws NoSuchAlgorithmException {
        // The JDK's implementation, as for device chains: another provider must not change the rules.
        try {
            return CertPathValidator.getInstance("PKIX", "SUN");
        } catch (NoSuchProviderException e) {
            return CertPathValidator.getInstance("PKIX");
        }
    }
}
