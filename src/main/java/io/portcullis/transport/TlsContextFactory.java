package io.portcullis.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
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
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds the server {@link SslContext} both listeners use: TLS 1.2 and 1.3 only, forward-secret AEAD
 * suites only, both server certificates (ECDSA P-384 and RSA 2048) offered through one key manager,
 * and a client certificate required and checked by the {@link ClientCertificateVerifier} against
 * the current registry snapshot. Stateless; call it from any thread, at start-up and on reload.
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

    private TlsContextFactory() {
    }

    /**
     * Builds a server context.
     *
     * @param credentials the EC and RSA server chains and keys
     * @param verifier    decides whether a client certificate chain may connect
     * @param registry    supplies the registry snapshot current at each handshake
     * @param engine      which engine; {@link TlsEngine#Auto} means {@link TlsEngine#Jdk}, see {@link #resolve}
     * @throws SSLException when the material is unusable or the requested engine is unavailable
     */
    public static ServerTlsContext create(ServerCredentials credentials, ClientCertificateVerifier verifier,
                                          Supplier<Registry> registry, TlsEngine engine) throws SSLException {
        Objects.requireNonNull(credentials, "credentials");
        return createWithTrustManager(credentials, new ClientCertificateTrustManager(verifier, registry), engine);
    }

    /**
     * Builds a server context with the same server certificates, protocols and suites as {@link #create},
     * a client certificate required, but decided by another trust manager: the admin API's, whose trust
     * is separate from device trust.
     *
     * @throws SSLException when the material is unusable or the requested engine is unavailable
     */
    public static ServerTlsContext createWithTrustManager(ServerCredentials credentials,
                                                          X509ExtendedTrustManager trustManager, TlsEngine engine)
            throws SSLException {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(trustManager, "trustManager");
        TlsEngine resolved = resolve(engine);
        SslContext context = SslContextBuilder.forServer(new DualCertificateKeyManager(credentials))
                .sslProvider(resolved == TlsEngine.OpenSsl ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trustManager)
                .build();
        return new ServerTlsContext(context, resolved, PROTOCOLS);
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
