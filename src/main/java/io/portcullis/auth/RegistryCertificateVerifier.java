package io.portcullis.auth;

import io.portcullis.registry.Registry;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS-time gate (SPEC 2.3): accepts a client chain whose leaf is within its validity dates, is for TLS
 * clients by its key usages ({@link CertificateFields#clientUsageProblem}), and
 * whose leaf thumbprint is allowed for an enabled ThumbprintMatch client, or which validates (PKIX) to a
 * registered CA certificate, root or intermediate; that is no admin certificate (no admin thumbprint, not
 * issued by an admin CA, no admin CA on its path to the device CA: {@link TrustSeparation}); and
 * that is not already known to be revoked from what
 * {@link KnownRevocations} holds in memory (the full revocation check, which may fetch, runs at CONNECT).
 * The transport's trust manager calls it on the event loop during the handshake; it is thread-safe, does no
 * I/O, and reuses trust material precomputed per registry snapshot by {@link CertificateTrust}.
 */
public final class RegistryCertificateVerifier implements ClientCertificateVerifier {
    private final CertificateTrust trust;
    private final Clock clock;
    private final KnownRevocations revocations;
    /** Replaced by {@link #updateAdminTrust} on the start or reload thread; read once per handshake. */
    private volatile AdminTrust adminTrust = new AdminTrust(List.of(), Set.of());

    /** The admin listener's CA certificates and thumbprints (upper-case hex), which never open MQTT. */
    private record AdminTrust(List<X509Certificate> caCertificates, Set<String> thumbprints) {
    }

    public RegistryCertificateVerifier(CertificateTrust trust, Clock clock) {
        this(trust, clock, KnownRevocations.NONE);
    }

    public RegistryCertificateVerifier(CertificateTrust trust, Clock clock, KnownRevocations revocations) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    /** Makes later handshakes refuse chains of these admin CAs and certificates with these thumbprints. */
    public void updateAdminTrust(Collection<X509Certificate> caCertificates, Collection<String> thumbprints) {
        adminTrust = new AdminTrust(List.copyOf(caCertificates), Set.copyOf(thumbprints));
    }

    /**
     * Whether {@code chain} belongs to the admin trust this verifier holds now ({@link TrustSeparation#isAdminChain}).
     * CONNECT and the live-session re-check ask it too: a resumed TLS session skips {@link #verify}, and admin trust
     * can change while a device is connected.
     */
    public boolean isAdminChain(List<X509Certificate> chain, Registry registry) {
        AdminTrust admin = adminTrust;
        return !chain.isEmpty()
                && TrustSeparation.isAdminChain(chain, admin.caCertificates(), admin.thumbprints(), registry);
    }

    @Override
    public void verify(List<X509Certificate> chain, Registry registry) throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("Client certificate refused: the client sent no certificate;"
                    + " configure the client with its certificate and private key");
        }
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();
        String thumbprint = CertificateFields.thumbprint(leaf);
        String described = "client certificate '" + CertificateFields.subject(leaf) + "' (thumbprint "
                + thumbprint + ")";

        Optional<String> dates = CertificateFields.validityProblem(leaf, now);
        if (dates.isPresent()) {
            throw new CertificateException("Client certificate refused: " + described + " " + dates.get()
                    + "; " + CertificateFields.CLIENT_DATES_FIX);
        }

        if (isAdminChain(chain, registry)) {
            throw new CertificateException("Client certificate refused: " + described + ": "
                    + TrustSeparation.ADMIN_CERTIFICATE);
        }
        Optional<String> usage = CertificateFields.clientUsageProblem(leaf);
        if (usage.isPresent()) {
            throw new CertificateException("Client certificate refused: " + described + " " + usage.get() + "; "
                    + CertificateFields.CLIENT_USAGE_FIX);
        }

        RegistryTrust material = trust.forRegistry(registry);
        if (!material.isAllowedThumbprint(thumbprint)) {
            ChainResult result = material.checkChain(chain, now);
            if (!result.isTrusted()) {
                throw new CertificateException("Client certificate refused: " + described + ": " + result.problem());
            }
        }
        Optional<String> revoked = revocations.revokedInMemory(chain);
        if (revoked.isPresent()) {
            throw new CertificateException("Client certificate refused: " + described + ": "
                    + revoked.get() + "; issue the client a new certificate");
        }
    }
}
