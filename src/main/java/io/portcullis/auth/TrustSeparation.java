package io.portcullis.auth;

import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rule that admin trust and device trust never overlap: which device CA or device client a chain belongs
 * to, for the admin listener's gate, and whether a chain belongs to an admin CA, for the device gate
 * ({@link RegistryCertificateVerifier}). At the admin gate a chain belongs to a device CA when it holds that
 * CA's certificate or a certificate it signed, and to a device when its leaf's thumbprint is one a client
 * allows. Pure functions of their arguments; any thread.
 */
public final class TrustSeparation {
    /** The reason the device gate gives for a chain that belongs to the admin CA or an admin thumbprint. */
    public static final String ADMIN_CERTIFICATE =
            "an admin certificate (admin.caCertificates or admin.thumbprints); admin certificates never open MQTT";

    private TrustSeparation() {
    }

    /**
     * Why {@code chain} (leaf first) is a device certificate in {@code registry}, or empty: it holds or was
     * issued by a registered CA certificate, or its leaf's thumbprint is allowed for a registered client.
     */
    public static Optional<String> deviceReason(List<X509Certificate> chain, Registry registry) {
        for (CaCertificate ca : registry.caCertificates().values()) {
            if (belongsTo(chain, ca.certificate())) {
                return Optional.of("a device certificate: its chain holds the device CA '" + ca.name()
                        + "'; the admin API needs a certificate from a separate admin CA");
            }
        }
        String thumbprint = CertificateFields.thumbprint(chain.get(0));
        for (Client client : registry.clients().values()) {
            for (String allowed : client.allowedThumbprints()) {
                if (allowed.toUpperCase(Locale.ROOT).equals(thumbprint)) {
                    return Optional.of("a device certificate: its thumbprint is registered for the client '"
                            + client.name() + "'; the admin API needs a certificate from a separate admin CA");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code chain} (leaf first) is an admin certificate at the device gate: its leaf's thumbprint
     * (upper-case hex) is among {@code adminThumbprints}, or the leaf is an admin CA or was issued by one, or the
     * path from the leaf up to the registered device CA that anchors it passes through an admin CA. Certificates
     * the client sends beyond that device CA are not on the path: a device intermediate signed by a root that is
     * also the admin CA still opens MQTT when the device sends the root too.
     */
    public static boolean isAdminChain(List<X509Certificate> chain, Collection<X509Certificate> adminCas,
                                       Collection<String> adminThumbprints, Registry registry) {
        X509Certificate leaf = chain.get(0);
        if (!adminThumbprints.isEmpty() && adminThumbprints.contains(CertificateFields.thumbprint(leaf))) {
            return true;
        }
        if (adminCas.isEmpty() || !namesAnAdminCa(chain, adminCas)) {
            return false;
        }
        for (X509Certificate ca : adminCas) {
            if (leaf.equals(ca) || isIssuedBy(leaf, ca)) {
                return true;
            }
        }
        List<X509Certificate> unused = new ArrayList<>(chain.subList(1, chain.size()));
        X509Certificate current = leaf;
        while (true) {
            for (CaCertificate device : registry.caCertificates().values()) {
                if (isIssuedBy(current, device.certificate())) {
                    return adminCas.contains(device.certificate());
                }
            }
            X509Certificate issuer = issuerAmong(current, unused);
            if (issuer == null) {
                return false;
            }
            if (adminCas.contains(issuer)) {
                return true;
            }
            unused.remove(issuer);
            current = issuer;
        }
    }

    /**
     * Whether some certificate of the chain is an admin CA's subject or names one as its issuer. When none does,
     * no certificate of the chain can be, or be issued by, an admin CA, nor can the device CA anchoring it be one
     * (a certificate it issued would name it): the chain is no admin chain, decided by name comparisons alone.
     * This keeps the signature checks below off the handshake and CONNECT of every device when admin and device
     * CAs are apart, as they should be.
     */
    private static boolean namesAnAdminCa(List<X509Certificate> chain, Collection<X509Certificate> adminCas) {
        for (X509Certificate certificate : chain) {
            for (X509Certificate ca : adminCas) {
                if (certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())
                        || certificate.getSubjectX500Principal().equals(ca.getSubjectX500Principal())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code issuer}'s key signed {@code certificate} under the subject that names it. */
    public static boolean isIssuedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static X509Certificate issuerAmong(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (isIssuedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Whether the chain holds {@code ca} or a certificate it issued: then the chain reaches device trust, as
     * the device gate would see it. An admin leaf issued by a root above the device CA, sent with or without
     * that root, holds neither, so it still opens the admin API.
     */
    private static boolean belongsTo(List<X509Certificate> chain, X509Certificate ca) {
        if (chain.contains(ca)) {
            return true;
        }
        for (X509Certificate certificate : chain) {
            if (isIssuedBy(certificate, ca)) {
                return true;
            }
        }
        return false;
    }
}
