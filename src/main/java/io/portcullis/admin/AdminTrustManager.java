package io.portcullis.admin;

import io.portcullis.auth.CertificateFields;
import io.portcullis.auth.TrustSeparation;
import io.portcullis.config.AdminConfig;
import io.portcullis.pki.Thumbprints;
import io.portcullis.registry.Registry;
import io.portcullis.transport.ClientOnlyTrustManager;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides in the admin listener's TLS handshake whether a client certificate is an admin certificate: its
 * SHA-256 thumbprint is one of {@code admin.thumbprints}, or its chain validates (PKIX, validity dates, no
 * revocation check) to one of {@code admin.caCertificates}. Both also require the leaf to be inside its
 * validity dates, and the chain to be no device certificate in the current registry snapshot
 * ({@link TrustSeparation#deviceReason}): an admin CA that is also the root above a device intermediate must
 * not let devices in. The trust can be
 * swapped by {@link #update} (a configuration reload); each handshake reads it once. A refusal is thrown as a
 * {@link Refusal} (for dates, as the cause of the JDK's date exception), which the TLS engine passes on in the
 * causes of the failed handshake, so that {@link AdminRefusalLog} can write it in one line with the remote
 * address (this class has no connection). Runs on event loops concurrently; lock-free.
 */
final class AdminTrustManager extends ClientOnlyTrustManager {
    private final Clock clock;
    private final Supplier<Registry> devices;
    private volatile Trust trust;

    /**
     * Why a presented certificate is not an admin certificate, with the leaf's subject (RFC 2253) and SHA-256
     * thumbprint for the log. The message is the reason alone, in the broker's words; it quotes certificate
     * fields, so it is escaped where it is logged.
     */
    static final class Refusal extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final String subject;
        private final String thumbprint;

        Refusal(X509Certificate leaf, String reason, Throwable cause) {
            super(reason, cause);
            this.subject = CertificateFields.subject(leaf);
            this.thumbprint = Thumbprints.thumbprint(leaf);
        }

        String subject() {
            return subject;
        }

        String thumbprint() {
            return thumbprint;
        }
    }

    /** Admin CAs as trust anchors, and admin thumbprints (upper-case hex). */
    private record Trust(Set<TrustAnchor> anchors, List<X509Certificate> caCertificates, Set<String> thumbprints) {
    }

    /** {@code devices} gives the current registry snapshot, whose CA certificates and clients are devices'. */
    AdminTrustManager(AdminConfig config, Supplier<Registry> devices, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.devices = Objects.requireNonNull(devices, "devices");
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
            throw new CertificateException(AdminRefusalLog.NO_CERTIFICATE);
        }
        check(List.of(chain), trust);
    }

    private void check(List<X509Certificate> chain, Trust current) throws CertificateException {
        X509Certificate leaf = chain.get(0);
        Date now = Date.from(clock.instant());
        Optional<String> dates = CertificateFields.validityProblem(leaf, now.toInstant());
        if (dates.isPresent()) {
            // The same words as for devices (RegistryCertificateVerifier), not the JDK's "NotAfter: <date>".
            Refusal refusal = new Refusal(leaf, "the certificate " + dates.get() + "; issue the admin a current"
                    + " certificate, or check the clocks of client and broker", null);
            // Thrown as the JDK's date exception so that BoringSSL sends the client a certificate_expired alert.
            CertificateException dated = leaf.getNotAfter().before(now)
                    ? new CertificateExpiredException(refusal.getMessage())
                    : new CertificateNotYetValidException(refusal.getMessage());
            dated.initCause(refusal);
            throw dated;
        }
        Optional<String> device = TrustSeparation.deviceReason(chain, devices.get());
        if (device.isPresent()) {
            throw new Refusal(leaf, device.get(), null);
        }
        Optional<String> usage = CertificateFields.clientUsageProblem(leaf);
        if (usage.isPresent()) {
            throw new Refusal(leaf, "the certificate " + usage.get() + "; issue the admin a certificate for TLS"
                    + " clients (portcullis pki client issue)", null);
        }
        if (current.thumbprints().contains(Thumbprints.thumbprint(leaf))) {
            return;
        }
        if (current.anchors().isEmpty()) {
            throw new Refusal(leaf, "not an admin certificate: its thumbprint is not in admin.thumbprints and no"
                    + " admin CA is configured", null);
        }
        // The path ends below the anchor: a client that also sends the admin CA itself must still validate.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate certificate : chain) {
            if (!current.caCertificates().contains(certificate)) {
                path.add(certificate);
            }
        }
        if (path.isEmpty()) {
            throw new Refusal(leaf, "not an admin certificate: it is an admin CA certificate itself", null);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(current.anchors());
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            pkix().validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            throw new Refusal(leaf, "admin certificate validation is unavailable: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new Refusal(leaf, "not an admin certificate: its chain does not validate to an admin CA ("
                    + e.getMessage() + ") and its thumbprint is not in admin.thumbprints", e);
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
