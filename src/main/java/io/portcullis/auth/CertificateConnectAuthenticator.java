package io.portcullis.auth;

import io.portcullis.auth.AuthenticationResult.Authenticated;
import io.portcullis.auth.AuthenticationResult.Refused;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;
import io.portcullis.registry.ValidationScheme;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Authenticates a CONNECT with the handshake's client certificate (SPEC 2.2–2.5): reads the presented
 * authentication name from the Username or, failing that, from the configured certificate fields;
 * finds the client case-insensitively; and checks the client's validation scheme against the
 * certificate. Pure: it neither logs nor blocks, and returns a {@link Refused} with a client-facing
 * reason string that never reveals whether a client name exists, plus a precise log reason for the
 * protocol handler to log once. Thread-safe; called on the connection's event loop.
 */
public final class CertificateConnectAuthenticator implements ConnectAuthenticator {
    /** MQTT 5 CONNACK 0x86 Bad user name or password; the protocol handler maps it for MQTT 3.1.1. */
    public static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    /** MQTT 5 CONNACK 0x87 Not authorized; the protocol handler maps it for MQTT 3.1.1. */
    public static final int NOT_AUTHORIZED = 0x87;

    /** Authentication names are 1–128 characters (SPEC 2.2), counted as Unicode code points. */
    static final int MAXIMUM_AUTHENTICATION_NAME_LENGTH = 128;

    // One text for every refusal that depends on the registry, so a peer cannot probe which client
    // names exist (SPEC 2.5): unknown name, disabled client, wrong CA, thumbprint or field mismatch.
    static final String NOT_AUTHORIZED_TEXT = "Not authorized: no enabled client matches this authentication"
            + " name and client certificate; check the Username (or the certificate field used as the name)"
            + " and the client's registration: validation scheme, CA certificate or allowed thumbprints";
    static final String BAD_USER_NAME_TEXT = "Bad user name: the Username must be 1 to 128 characters;"
            + " send the client's authentication name, or leave the Username out to use the certificate";
    static final String NO_NAME_TEXT = "No authentication name: send the client's authentication name as the"
            + " Username, or put it in the certificate field the broker reads names from";
    static final String NO_CERTIFICATE_TEXT = "Not authorized: a client certificate is required";
    static final String CERTIFICATE_DATES_TEXT = "Not authorized: the client certificate is outside its"
            + " validity dates; issue the client a current certificate";

    private final CertificateTrust trust;
    private final SubjectNameMatch subjectNameMatch;
    private final Clock clock;
    private final BiPredicate<List<X509Certificate>, Registry> adminChain;

    /** An authenticator for a broker without admin trust: no chain is an admin one. */
    public CertificateConnectAuthenticator(CertificateTrust trust, SubjectNameMatch subjectNameMatch, Clock clock) {
        this(trust, subjectNameMatch, clock, (chain, registry) -> false);
    }

    /**
     * @param adminChain whether a chain belongs to the admin trust in force now (the broker passes
     *                   {@link RegistryCertificateVerifier#isAdminChain}); such a chain never authenticates, also
     *                   when a resumed TLS session skipped the handshake's check or the admin trust changed since
     */
    public CertificateConnectAuthenticator(CertificateTrust trust, SubjectNameMatch subjectNameMatch, Clock clock,
                                           BiPredicate<List<X509Certificate>, Registry> adminChain) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.subjectNameMatch = Objects.requireNonNull(subjectNameMatch, "subjectNameMatch");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.adminChain = Objects.requireNonNull(adminChain, "adminChain");
    }

    @Override
    public AuthenticationResult authenticate(ConnectCredentials credentials, Registry registry) {
        List<X509Certificate> chain = credentials.certificateChain();
        if (chain.isEmpty()) {
            return new Refused(NOT_AUTHORIZED, NO_CERTIFICATE_TEXT,
                    "no client certificate from the TLS handshake", null, null, null);
        }
        X509Certificate leaf = chain.get(0);
        String subject = CertificateFields.subject(leaf);
        String thumbprint = CertificateFields.thumbprint(leaf);

        String username = credentials.username();
        String name;
        if (username != null) {
            // The Username flag was set: an empty or over-long value is a malformed user name (0x86),
            // not a reason to fall back to the certificate.
            int length = username.codePointCount(0, username.length());
            if (length == 0 || length > MAXIMUM_AUTHENTICATION_NAME_LENGTH) {
                return new Refused(BAD_USER_NAME_OR_PASSWORD, BAD_USER_NAME_TEXT,
                        "Username is " + length + " characters; authentication names are 1 to 128",
                        null, subject, thumbprint);
            }
            name = username;
        } else {
            Optional<String> fromCertificate = nameFromCertificate(leaf, registry.settings()
                    .alternativeAuthenticationNameSources());
            if (fromCertificate.isEmpty()) {
                return new Refused(NOT_AUTHORIZED, NO_NAME_TEXT, "no Username and no authentication name in"
                        + " the certificate fields " + registry.settings().alternativeAuthenticationNameSources(),
                        null, subject, thumbprint);
            }
            name = fromCertificate.get();
        }

        Instant now = clock.instant();
        Optional<String> dates = CertificateFields.validityProblem(leaf, now);
        if (dates.isPresent()) {
            // Mostly a resumed TLS session: the handshake checked the dates when the session began.
            return new Refused(NOT_AUTHORIZED, CERTIFICATE_DATES_TEXT, "client certificate " + dates.get() + "; "
                    + CertificateFields.CLIENT_DATES_FIX, name, subject, thumbprint);
        }
        Optional<String> usage = CertificateFields.clientUsageProblem(leaf);
        if (usage.isPresent()) {
            // A resumed TLS session, begun before this check existed or under a build without it.
            return refused("client certificate " + usage.get() + "; " + CertificateFields.CLIENT_USAGE_FIX, name,
                    subject, thumbprint);
        }
        if (adminChain.test(chain, registry)) {
            return refused("client certificate is " + TrustSeparation.ADMIN_CERTIFICATE, name, subject, thumbprint);
        }

        Client client = registry.clientByAuthenticationName(name);
        if (client == null && username == null) {
            // A name read from a SAN iPAddress is in normalized form; the client may be registered
            // under another spelling of the same address (::1 and 0:0:0:0:0:0:0:1).
            client = CertificateFields.normalizeIpAddress(name)
                    .map(address -> trust.forRegistry(registry).clientByIpAddress(address))
                    .orElse(null);
        }
        if (client == null) {
            return refused("no client has authentication name '" + name + "'", name, subject, thumbprint);
        }
        if (!client.isEnabled()) {
            return refused("client '" + client.name() + "' is disabled", name, subject, thumbprint);
        }
        Optional<String> mismatch = schemeMismatch(client, chain, thumbprint, registry, now);
        if (mismatch.isPresent()) {
            return refused("client '" + client.name() + "' (" + client.validationScheme() + "): "
                    + mismatch.get(), name, subject, thumbprint);
        }
        return new Authenticated(new Identity(client, subject, CertificateFields.serialHex(leaf), thumbprint,
                leaf.getNotAfter().toInstant()));
    }

    /** Why the certificate does not satisfy the client's validation scheme, or empty when it does. */
    private Optional<String> schemeMismatch(Client client, List<X509Certificate> chain, String thumbprint,
                                            Registry registry, Instant now) {
        X509Certificate leaf = chain.get(0);
        String name = client.authenticationName();
        if (client.validationScheme() == ValidationScheme.ThumbprintMatch) {
            for (String allowed : client.allowedThumbprints()) {
                if (allowed.equalsIgnoreCase(thumbprint)) {
                    return Optional.empty();
                }
            }
            return Optional.of("thumbprint " + thumbprint + " is not one of the client's allowed thumbprints");
        }

        // Every other scheme needs the chain to end at a registered CA, however the handshake passed:
        // a self-signed certificate admitted by some client's thumbprint proves nothing here.
        ChainResult chainResult = trust.forRegistry(registry).checkChain(chain, now);
        if (!chainResult.isTrusted()) {
            return Optional.of(chainResult.problem());
        }
        return switch (client.validationScheme()) {
            case SubjectMatchesAuthenticationName -> subjectMatches(leaf, name) ? Optional.empty()
                    : Optional.of("certificate subject '" + CertificateFields.subject(leaf) + "' does not match '"
                    + name + "' (" + subjectNameMatch + ")");
            case DnsMatchesAuthenticationName -> anyEqual(CertificateFields.dnsNames(leaf), name, "DNS");
            case UriMatchesAuthenticationName -> anyEqual(CertificateFields.uris(leaf), name, "URI");
            case EmailMatchesAuthenticationName -> anyEqual(CertificateFields.emails(leaf), name, "email");
            case IpMatchesAuthenticationName -> ipMatches(leaf, name);
            case ThumbprintMatch -> throw new IllegalStateException("handled above");
        };
    }

    private boolean subjectMatches(X509Certificate leaf, String name) {
        if (subjectNameMatch == SubjectNameMatch.DistinguishedName) {
            return CertificateFields.sameDistinguishedName(leaf, name);
        }
        return CertificateFields.subjectCommonName(leaf)
                .map(commonName -> Registry.foldCase(commonName).equals(Registry.foldCase(name)))
                .orElse(false);
    }

    private static Optional<String> anyEqual(List<String> values, String name, String kind) {
        String folded = Registry.foldCase(name);
        for (String value : values) {
            if (Registry.foldCase(value).equals(folded)) {
                return Optional.empty();
            }
        }
        return Optional.of("no SAN " + kind + " entry equals '" + name + "' (entries: " + values + ")");
    }

    private static Optional<String> ipMatches(X509Certificate leaf, String name) {
        Optional<String> wanted = CertificateFields.normalizeIpAddress(name);
        List<String> addresses = CertificateFields.ipAddresses(leaf);
        if (wanted.isEmpty()) {
            return Optional.of("authentication name '" + name + "' is not an IP address");
        }
        if (addresses.contains(wanted.get())) {
            return Optional.empty();
        }
        return Optional.of("no SAN IP entry equals '" + name + "' (entries: " + addresses + ")");
    }

    private Optional<String> nameFromCertificate(X509Certificate leaf, List<AuthenticationNameSource> sources) {
        for (AuthenticationNameSource source : sources) {
            Optional<String> value = switch (source) {
                case ClientCertificateSubject -> subjectNameMatch == SubjectNameMatch.DistinguishedName
                        ? Optional.of(CertificateFields.subject(leaf)) : CertificateFields.subjectCommonName(leaf);
                case ClientCertificateDns -> first(CertificateFields.dnsNames(leaf));
                case ClientCertificateUri -> first(CertificateFields.uris(leaf));
                case ClientCertificateIp -> first(CertificateFields.ipAddresses(leaf));
                case ClientCertificateEmail -> first(CertificateFields.emails(leaf));
            };
            if (value.isPresent() && !value.get().isEmpty()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> first(List<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Refused refused(String logReason, String authenticationName, String subject,
                                   String thumbprint) {
        return new Refused(NOT_AUTHORIZED, NOT_AUTHORIZED_TEXT, logReason, authenticationName, subject, thumbprint);
    }
}
