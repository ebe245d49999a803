package io.portcullis.auth.revocation;

import javax.security.auth.x500.X500Principal;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds which certificates of a client's chain revocation checks and who issued each: the path from the
 * leaf up to a registered or self-signed CA, each issuer found by its signature (checks cached, bounded).
 * It also remembers the intermediate CAs met in paths that end at a registered CA, so a CRL file of one of
 * them can be signature-checked when it is loaded. Thread-safe.
 */
final class CertificationPaths {
    private static final int MAXIMUM_PATH = 8;
    private static final int MAXIMUM_CACHED_ISSUERS = 4_096;
    private static final int MAXIMUM_SEEN_ISSUERS = 1_024;

    private final Supplier<? extends Collection<X509Certificate>> registeredCas;
    private final Map<List<X509Certificate>, Boolean> issuerChecks = new ConcurrentHashMap<>();
    /**
     * CA certificates below a registered CA met in checked chains, by subject: what a CRL file of an intermediate
     * is verified against when it is loaded (the registered CAs are the others).
     */
    private final Map<X500Principal, Set<X509Certificate>> seenIssuers = new ConcurrentHashMap<>();

    /** A certificate to check and the certificate that issued it. */
    record Link(X509Certificate certificate, X509Certificate issuer, boolean isLeaf) {
    }

    /** @param registeredCas the registered CA certificates of the current registry snapshot */
    CertificationPaths(Supplier<? extends Collection<X509Certificate>> registeredCas) {
        this.registeredCas = registeredCas;
    }

    /** The certificates to check, leaf first, each with its issuer, up to a registered or self-signed CA. */
    List<Link> of(List<X509Certificate> chain) {
        X509Certificate leaf = chain.get(0);
        if (isSelfIssued(leaf)) {
            return List.of();
        }
        Collection<X509Certificate> registered = registeredCas.get();
        List<X509Certificate> candidates = new ArrayList<>(chain.subList(1, chain.size()));
        candidates.addAll(registered);
        List<Link> links = new ArrayList<>();
        X509Certificate current = leaf;
        for (int depth = 0; depth < MAXIMUM_PATH; depth++) {
            if (depth > 0 && (isSelfIssued(current) || registered.contains(current))) {
                break;
            }
            X509Certificate issuer = findIssuer(current, candidates);
            if (issuer == null) {
                break;
            }
            links.add(new Link(current, issuer, depth == 0));
            current = issuer;
        }
        return links;
    }

    private X509Certificate findIssuer(X509Certificate certificate, List<X509Certificate> candidates) {
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && isSignedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        List<X509Certificate> key = List.of(certificate, issuer);
        Boolean known = issuerChecks.get(key);
        if (known != null) {
            return known;
        }
        boolean signed;
        try {
            certificate.verify(issuer.getPublicKey());
            signed = true;
        } catch (GeneralSecurityException | RuntimeException e) {
            signed = false;
        }
        if (issuerChecks.size() >= MAXIMUM_CACHED_ISSUERS) {
            issuerChecks.clear();
        }
        issuerChecks.put(key, signed);
        return signed;
    }

    /**
     * Remembers the CA certificates of a path that ends at a registered CA, each found by its signature, so a
     * CRL file of one of them is verified when loaded.
     */
    void remember(List<Link> links) {
        if (!registeredCas.get().contains(links.get(links.size() - 1).issuer())) {
            return;
        }
        for (Link link : links) {
            X509Certificate issuer = link.issuer();
            if (issuer.getBasicConstraints() < 0) {
                continue;
            }
            Set<X509Certificate> named = seenIssuers.get(issuer.getSubjectX500Principal());
            if (named != null && named.contains(issuer)) {
                continue;
            }
            if (seenIssuers.size() >= MAXIMUM_SEEN_ISSUERS) {
                seenIssuers.clear();
            }
            seenIssuers.computeIfAbsent(issuer.getSubjectX500Principal(), name -> ConcurrentHashMap.newKeySet())
                    .add(issuer);
        }
    }

    static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    /**
     * The CA certificates known under a CRL's issuer name: registered CAs and intermediates met in a checked
     * client chain since the start. A CRL file of such a name must be signed by one of them; a CRL of a name not
     * known yet is verified where it is used.
     */
    List<X509Certificate> knownIssuers(X509CRL crl) {
        List<X509Certificate> named = new ArrayList<>();
        for (X509Certificate ca : registeredCas.get()) {
            if (ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                named.add(ca);
            }
        }
        named.addAll(seenIssuers.getOrDefault(crl.getIssuerX500Principal(), Set.of()));
        return named;
    }
}
