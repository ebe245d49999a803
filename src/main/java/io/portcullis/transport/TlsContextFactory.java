package io.portcullis.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.portcullis.auth.ClientCertificateVerifier;
import io.portcullis.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the server {@link SslContext} both listeners use: TLS 1.2 and 1.3 only, forward-secret AEAD
 * suites only, both server certificates (ECDSA P-384 and RSA 2048) offered through one key manager,
 * and a client certificate required and checked by the {@link ClientCertificateVerifier} against
 * the current registry snapshot. Stateless; call it from any thread, at start-up and on reload.
 *
 * <p>Session resumption ({@link SessionTickets}). On the JDK engine (SunJSSE, JDK 17) a TLS 1.3 server
 * issues stateless tickets by default ({@code jdk.tls.server.enableSessionTicketExtension}): the session,
 * client certificate chain included, encrypted under a key the {@code SSLContext} generates itself. The
 * ticket lifetime is the server session context's timeout, set per context here. How long one key
 * encrypts is read once per JVM from {@code jdk.tls.server.statelessKeyTimeout} (seconds) when the JDK's
 * ticket class loads, so it is set before the first handshake and is JVM-wide: the first context built
 * decides it, unless the operator set the property. A key still decrypts for the lifetime after it stops
 * encrypting. Keys belong to one {@code SSLContext}: after a certificate reload every client makes one full
 * handshake. The JDK offers no switch per context to turn tickets off; a session timeout above seven days
 * makes it issue none (RFC 8446 caps the lifetime there), and invalidating each session once established
 * keeps TLS 1.2 session ids from resuming. On the OpenSsl engine, Netty issues no tickets unless keys are
 * set; {@link OpenSslTicketKeys} sets and rotates them.
 */
public final class TlsContextFactory {

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Server preference order. ECDSA before RSA so that a client offering both gets the EC
     * certificate; the TLS 1.3 suites need no certificate type and come first.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    static {
        // SunJSSE accepts client-initiated TLS 1.2 renegotiation unless told otherwise, and the switch is a
        // system property read once when the JSSE handshake classes load, so it is set before any context.
        // Respect an explicit operator choice. BoringSSL never renegotiates as a server, and neither
        // engine implements TLS compression.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextFactory.class);

    static final String JDK_KEY_TIMEOUT_PROPERTY = "jdk.tls.server.statelessKeyTimeout";

    /** SunJSSE issues no TLS 1.3 ticket when the session timeout exceeds the 7-day maximum lifetime. */
    private static final int NO_TICKETS_SESSION_TIMEOUT = (int) SessionTickets.MAXIMUM_LIFETIME.toSeconds() + 1;

    private TlsContextFactory() {
    }

    /** Builds a server context with the default session tickets ({@link SessionTickets#DEFAULTS}). */
    public static ServerTlsContext create(ServerCredentials credentials, ClientCertificateVerifier verifier,
                                          Supplier<Registry> registry, TlsEngine engine) throws SSLException {
        return create(credentials, verifier, registry, engine, SessionTickets.DEFAULTS);
    }

    /**
     * Builds a server context.
     *
     * @param credentials the EC and RSA server chains and keys
     * @param verifier    decides whether a client certificate chain may connect
     * @param registry    supplies the registry snapshot current at each handshake
     * @param engine      which engine; {@link TlsEngine#Auto} means {@link TlsEngine#Jdk}, see {@link #resolve}
     * @param tickets     session resumption
     * @throws SSLException when the material is unusable or the requested engine is unavailable
     */
    public static ServerTlsContext create(ServerCredentials credentials, ClientCertificateVerifier verifier,
                                          Supplier<Registry> registry, TlsEngine engine, SessionTickets tickets)
            throws SSLException {
        Objects.requireNonNull(credentials, "credentials");
        return createWithTrustManager(credentials, new ClientCertificateTrustManager(verifier, registry), engine,
                tickets);
    }

    /**
     * Builds a server context with the same server certificates, protocols and suites as {@link #create},
     * a client certificate required, but decided by another trust manager: the admin API's, whose trust
     * is separate from device trust.
     *
     * @throws SSLException when the material is unusable or the requested engine is unavailable
     */
    public static ServerTlsContext createWithTrustManager(ServerCredentials credentials,
                                                          X509ExtendedTrustManager trustManager, TlsEngine engine,
                                                          SessionTickets tickets) throws SSLException {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(trustManager, "trustManager");
        Objects.requireNonNull(tickets, "tickets");
        TlsEngine resolved = resolve(engine);
        if (resolved == TlsEngine.Jdk && tickets.enabled()) {
            fixJdkKeyRotation(tickets.keyRotationInterval());
        }
        int sessionTimeout = tickets.enabled() || resolved == TlsEngine.OpenSsl
                ? (int) tickets.lifetime().toSeconds() : NO_TICKETS_SESSION_TIMEOUT;
        SslContext context = SslContextBuilder.forServer(new DualCertificateKeyManager(credentials))
                .sslProvider(resolved == TlsEngine.OpenSsl ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trustManager)
                .sessionTimeout(sessionTimeout)
                .build();
        if (resolved == TlsEngine.OpenSsl) {
            OpenSslSessionContext sessions = (OpenSslSessionContext) context.sessionContext();
            if (tickets.enabled()) {
                OpenSslTicketKeys.register(sessions, tickets.keyRotationInterval());
            } else {
                // Netty sets no ticket keys (SSL_OP_NO_TICKET) by default; the id cache is the other way back.
                sessions.setSessionCacheEnabled(false);
            }
        }
        return new ServerTlsContext(context, resolved, PROTOCOLS, tickets.enabled());
    }

    /**
     * Sets the JDK's ticket key lifetime before its ticket class reads it; JVM-wide. An operator's own
     * {@code -Djdk.tls.server.statelessKeyTimeout} wins, and a later broker asking for another interval in
     * the same JVM is told it does not get it.
     */
    private static synchronized void fixJdkKeyRotation(Duration interval) {
        String wanted = Long.toString(interval.toSeconds());
        String set = System.getProperty(JDK_KEY_TIMEOUT_PROPERTY);
        if (set == null) {
            System.setProperty(JDK_KEY_TIMEOUT_PROPERTY, wanted);
            LOG.debug("Session ticket key rotation set JVM-wide: property={} seconds={}", JDK_KEY_TIMEOUT_PROPERTY,
                    wanted);
        } else if (!set.equals(wanted)) {
            LOG.warn("Session ticket key rotation is JVM-wide on the JDK engine and already fixed: property={} "
                    + "seconds={} requested={}", JDK_KEY_TIMEOUT_PROPERTY, set, wanted);
        }
    }

    /**
     * The engine a setting stands for.
     *
     * <p>{@link TlsEngine#Auto} means the JDK engine, even when BoringSSL is available, because only
     * the JDK engine picks the server certificate per handshake from both. netty-tcnative asks the key
     * manager for a key type in the order of the <em>server's</em> configured cipher suites (it cannot
     * see the client's list), takes the first certificate it gets, and BoringSSL then has to use that one:
     * a TLS 1.2 client offering only ECDHE-RSA suites fails with NO_SHARED_CIPHER instead of getting the
     * RSA certificate ({@code TlsContextFactoryTest} pins this down on tcnative 2.0.84). Choosing
     * {@link TlsEngine#OpenSsl} explicitly is allowed and logged as a warning: every client must then
     * accept ECDSA. An unavailable netty-tcnative fails rather than silently running on another engine.
     */
    public static TlsEngine resolve(TlsEngine setting) throws SSLException {
        Objects.requireNonNull(setting, "setting");
        return switch (setting) {
            case Jdk, Auto -> TlsEngine.Jdk;
            case OpenSsl -> {
                if (!isOpenSslUsable()) {
                    throw new SSLException("TLS engine OpenSsl requested but netty-tcnative is unavailable: "
                            + OpenSsl.unavailabilityCause());
                }
                LOG.warn("TLS engine OpenSsl offers only the ECDSA server certificate to TLS 1.2 clients: "
                        + "clients limited to RSA suites cannot connect; use engine Jdk or Auto to serve both");
                yield TlsEngine.OpenSsl;
            }
        };
    }

    /** Whether BoringSSL loaded and can take its keys from a Java key manager. */
    public static boolean isOpenSslUsable() {
        return OpenSsl.isAvailable() && OpenSsl.supportsKeyManagerFactory();
    }
}
