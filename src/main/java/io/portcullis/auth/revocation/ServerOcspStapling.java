package io.portcullis.auth.revocation;

import io.portcullis.config.OcspStaplingConfig;
import io.portcullis.config.TlsEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on OCSP stapling of the server's own certificate in the JDK TLS engine (SunJSSE), which fetches,
 * caches and staples the answer itself when a client sends status_request. SunJSSE reads its switches from
 * system properties: {@code jdk.tls.server.enableStatusRequestExtension} when an {@code SSLContext} is created,
 * and {@code jdk.tls.stapling.*} when that context first staples, so {@link #configure} must run before the
 * server context is built. The properties are JVM-wide: every server context made afterwards in this JVM
 * staples too. BoringSSL (engine OpenSsl) is not covered: it would need the broker to fetch and hand over the
 * answer itself. Called once at start-up, on the starting thread.
 */
public final class ServerOcspStapling {
    private static final Logger LOG = LoggerFactory.getLogger(ServerOcspStapling.class);
    static final String ENABLE = "jdk.tls.server.enableStatusRequestExtension";
    static final String RESPONDER = "jdk.tls.stapling.responderURI";
    static final String RESPONDER_OVERRIDE = "jdk.tls.stapling.responderOverride";

    private ServerOcspStapling() {
    }

    /** Sets the JDK properties when stapling is on; leaves them alone when it is off. */
    public static void configure(OcspStaplingConfig config, TlsEngine engine) {
        if (!config.enabled()) {
            return;
        }
        if (engine == TlsEngine.OPENSSL) {
            LOG.warn("OCSP stapling is off: it needs TLS engine Jdk or Auto, the configured engine is OpenSsl");
            return;
        }
        System.setProperty(ENABLE, "true");
        if (config.responder() != null) {
            // Without the override the JDK asks the certificate's AIA responder first and the configured one only
            // when the certificate names none.
            System.setProperty(RESPONDER, config.responder().toString());
            System.setProperty(RESPONDER_OVERRIDE, "true");
        }
        LOG.info("OCSP stapling on for the server certificate: responder={} (JDK settings, JVM-wide)",
                config.responder() == null ? "certificate AIA" : config.responder());
    }
}
