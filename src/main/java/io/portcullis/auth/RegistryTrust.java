package io.portcullis.auth;

import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.registry.ValidationScheme;

import javax.security.auth.x500.X500Principal;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trust material of one registry snapshot: CA certificates as PKIX trust anchors indexed by subject,
 * the thumbprints of enabled ThumbprintMatch clients, and a bounded cache of chain results keyed by
 * the chain's thumbprints. Immutable apart from the cache, which is a concurrent map; safe for any
 * number of event loops at once.
 */
final class RegistryTrust {
    /** Bound on cached chain results; past it the cache is cleared, which costs only re-validation. */
    static final int MAXIMUM_CACHED_CHAINS = 4096;

    private final Registry registry;
    private final Map<X500Principal, List<Anchor>> anchorsBySubject;
    private final Map<TrustAnchor, String> caNameByAnchor;
    private final Set<String> enabledThumbprints;
    private final Map<String, Client> clientsByIpAddress;
    private final ConcurrentHashMap<String, CachedChain> chainCache = new ConcurrentHashMap<>();

    RegistryTrust(Registry registry) {
        this.registry = registry;
        Map<X500Principal, List<Anchor>> bySubject = new HashMap<>();
        Map<TrustAnchor, String> names = new IdentityHashMap<>();
        for (CaCertificate ca : registry.caCertificates().values()) {
            TrustAnchor anchor = new TrustAnchor(ca.certificate(), null);
            bySubject.computeIfAbsent(ca.certificate().getSubjectX500Principal(), key -> new ArrayList<>())
                    .add(new Anchor(ca.name(), ca.certificate(), anchor));
            names.put(anchor, ca.name());
        }
        bySubject.replaceAll((subject, anchors) -> List.copyOf(anchors));
        this.anchorsBySubject = Map.copyOf(bySubject);
        this.caNameByAnchor = names;

        Set<String> thumbprints = new HashSet<>();
        Map<String, Client> byIpAddress = new HashMap<>();
        for (Client client : registry.clients().values()) {
            CertificateFields.normalizeIpAddress(client.authenticationName())
                    .ifPresent(address -> byIpAddress.put(address, client));
            if (client.isEnabled() && client.validationScheme() == ValidationScheme.ThumbprintMatch) {
                for (String thumbprint : client.allowedThumbprints()) {
                    thumbprints.add(thumbprint.toUpperCase(Locale.ROOT));
                }
            }
        }
        this.enabledThumbprints = Set.copyOf(thumbprints);
        this.clientsByIpAddress = Map.copyOf(byIpAddress);
    }

    Registry registry() {
        return registry;
    }

    /** Whether some enabled ThumbprintMatch client allows this (upper-case hex) thumbprint. */
    boolean isAllowedThumbprint(String thumbprint) {
        return enabledThumbprints.contains(thumbprint);
    }

    /** The client whose authentication name is this IP address in any spelling, or {@code null}. */
    Client clientByIpAddress(String normalizedAddress) {
        return clientsByIpAddress.get(normalizedAddress);
    }

    /**
     * Whether the chain (leaf first, as the client sent it) validates at {@code now} to a registered
     * CA certificate. The result is cached per chain for as long as every certificate on the path
     * stays within its validity dates.
     */
    ChainResult checkChain(List<X509Certificate> chain, Instant now) {
        String key = cacheKey(chain);
        CachedChain cached = chainCache.get(key);
        if (cached != null && cached.appliesAt(now)) {
            return cached.result();
        }

        CachedChain computed = validate(chain, now);
        if (computed.isCacheable()) {
            if (chainCache.size() >= MAXIMUM_CACHED_CHAINS) {
                chainCache.clear();
            }
            chainCache.put(key, computed);
        }
        return computed.result();
    }

    private CachedChain validate(List<X509Certificate> chain, Instant now) {
        X509Certificate leaf = chain.get(0);
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        Set<X509Certificate> unused = new LinkedHashSet<>(chain.subList(1, chain.size()));
        X509Certificate current = leaf;
        String lastFailure = null;

        // Walk up from the leaf through the certificates the client sent, in issuer order whatever
        // order they arrived in. At each step, a registered CA that issued the current certificate
        // ends the path there: an intermediate registered alone is an anchor by itself (SPEC 2.3),
        // and certificates the client sent beyond it are ignored.
        while (true) {
            List<Anchor> anchors = anchorsBySubject.get(current.getIssuerX500Principal());
            if (anchors != null) {
                CachedChain attempt = validatePath(path, anchors, now);
                if (attempt.result().isTrusted() || !attempt.isCacheable()) {
                    return attempt;
                }
                lastFailure = attempt.result().problem();
            }
            if (current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
                break;
            }
            X509Certificate issuer = findIssuer(current, unused);
            if (issuer == null) {
                break;
            }
            unused.remove(issuer);
            path.add(issuer);
            current = issuer;
        }

        if (lastFailure != null) {
            return CachedChain.forever(ChainResult.untrusted(lastFailure));
        }
        if (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())) {
            return CachedChain.forever(ChainResult.untrusted(missingIssuer(leaf, current)));
        }
        return CachedChain.forever(ChainResult.untrusted("no certificate in the chain was issued by a registered CA"
                + " certificate (leaf issuer '" + leaf.getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "', top of the sent chain issued by '"
                + current.getIssuerX500Principal().getName(X500Principal.RFC2253)
                + "'); register the issuing root or intermediate under caCertificates, or register the"
                + " thumbprint " + CertificateFields.thumbprint(leaf) + " for a ThumbprintMatch client"));
    }

    /**
     * The walk stopped at {@code top}, which is not self-signed: its issuer is neither registered nor among
     * the certificates the client sent. Most often the client sends only its leaf while only the root is
     * registered, so the fix is to send the chain or register the intermediate.
     */
    private static String missingIssuer(X509Certificate leaf, X509Certificate top) {
        String issuer = top.getIssuerX500Principal().getName(X500Principal.RFC2253);
        String sent = top == leaf ? "only its leaf" : "its chain up to '" + CertificateFields.subject(top) + "'";
        return "the client sent " + sent + " and no certificate of its issuer '" + issuer + "', which is not a"
                + " registered CA certificate. Fix: configure the client to send its chain (leaf then intermediates,"
                + " e.g. mosquitto --cert with the full chain file), or register '" + issuer + "' under"
                + " caCertificates, or register the thumbprint " + CertificateFields.thumbprint(leaf)
                + " for a ThumbprintMatch client";
    }

    private CachedChain validatePath(List<X509Certificate> path, List<Anchor> anchors, Instant now) {
        // Dates first, so the operator reads "expired on X" instead of the validator's generic text.
        // The JDK validator does not look at the anchor's own dates; an expired registered CA is
        // refused here too, because it is almost always a configuration error worth naming.
        for (X509Certificate certificate : path) {
            Optional<String> problem = CertificateFields.validityProblem(certificate, now);
            if (problem.isPresent()) {
                return CachedChain.notCached(ChainResult.untrusted("certificate '"
                        + CertificateFields.subject(certificate) + "' in the client chain " + problem.get()));
            }
        }
        List<Anchor> current = new ArrayList<>();
        for (Anchor anchor : anchors) {
            Optional<String> problem = CertificateFields.validityProblem(anchor.certificate(), now);
            if (problem.isEmpty()) {
                current.add(anchor);
            } else if (anchors.size() == 1) {
                return CachedChain.notCached(ChainResult.untrusted("registered CA certificate '" + anchor.name()
                        + "' " + problem.get() + "; register a current CA certificate"));
            }
        }
        if (current.isEmpty()) {
            return CachedChain.notCached(ChainResult.untrusted("every registered CA certificate with subject '"
                    + path.get(path.size() - 1).getIssuerX500Principal().getName(X500Principal.RFC2253)
                    + "' is outside its validity dates; register a current CA certificate"));
        }

        try {
            Set<TrustAnchor> trustAnchors = new HashSet<>();
            for (Anchor anchor : current) {
                trustAnchors.add(anchor.trustAnchor());
            }
            PKIXParameters parameters = new PKIXParameters(trustAnchors);
            // Revocation (CRL, OCSP) is not checked yet; SPEC 2.3 plans a configured CRL.
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXCertPathValidatorResult result =
                    (PKIXCertPathValidatorResult) pkixValidator().validate(certPath, parameters);
            String caName = caNameByAnchor.getOrDefault(result.getTrustAnchor(), current.get(0).name());
            return CachedChain.within(ChainResult.trusted(caName), path, current);
        } catch (CertPathValidatorException e) {
            return CachedChain.forever(ChainResult.untrusted("the chain reaches registered CA certificate '"
                    + current.get(0).name() + "' but does not validate: " + e.getMessage()
                    + "; check that the client sends its intermediates and that they are CA certificates"));
        } catch (GeneralSecurityException e) {
            return CachedChain.notCached(ChainResult.untrusted("the chain could not be validated: " + e.getMessage()));
        }
    }

    private static X509Certificate findIssuer(X509Certificate certificate, Set<X509Certificate> candidates) {
        X509Certificate bySubject = null;
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                // Prefer the candidate whose key really signed the certificate, for re-keyed CAs that
                // share a subject; fall back to the first subject match so the validator names the fault.
                if (verifies(certificate, candidate)) {
                    return candidate;
                }
                if (bySubject == null) {
                    bySubject = candidate;
                }
            }
        }
        return bySubject;
    }

    private static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static CertPathValidator pkixValidator() throws NoSuchAlgorithmException {
        // Pin the JDK's implementation: a security provider added elsewhere (BouncyCastle) must not
        // change validation behaviour. CertPathValidator instances are not thread-safe, hence one per call.
        try {
            return CertPathValidator.getInstance("PKIX", "SUN");
        } catch (NoSuchProviderException e) {
            return CertPathValidator.getInstance("PKIX");
        }
    }

    private static String cacheKey(List<X509Certificate> chain) {
        StringBuilder key = new StringBuilder(65 * chain.size());
        for (X509Certificate certificate : chain) {
            key.append(CertificateFields.thumbprint(certificate)).append('/');
        }
        return key.toString();
    }

    private record Anchor(String name, X509Certificate certificate, TrustAnchor trustAnchor) {
    }

    /** A result and the interval of time during which it stays true. */
    private record CachedChain(ChainResult result, Instant validFrom, Instant validUntil, boolean isCacheable) {

        static CachedChain forever(ChainResult result) {
            return new CachedChain(result, Instant.MIN, Instant.MAX, true);
        }

        static CachedChain notCached(ChainResult result) {
            return new CachedChain(result, Instant.MIN, Instant.MAX, false);
        }

        static CachedChain within(ChainResult result, List<X509Certificate> path, List<Anchor> anchors) {
            Instant from = Instant.MIN;
            Instant until = Instant.MAX;
            List<X509Certificate> all = new ArrayList<>(path);
            for (Anchor anchor : anchors) {
                all.add(anchor.certificate());
            }
            for (X509Certificate certificate : all) {
                Instant notBefore = certificate.getNotBefore().toInstant();
                Instant notAfter = certificate.getNotAfter().toInstant();
                from = notBefore.isAfter(from) ? notBefore : from;
                until = notAfter.isBefore(until) ? notAfter : until;
            }
            return new CachedChain(result, from, until, true);
        }

        boolean appliesAt(Instant now) {
            return !now.isBefore(validFrom) && !now.isAfter(validUntil);
        }
    }
}
