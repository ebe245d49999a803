package io.portcullis.config;

import java.util.Locale;

/** Which TLS implementation the transport uses; written in lower case in the configuration file. */
public enum TlsEngine {
    /** OpenSSL (netty-tcnative BoringSSL) when it loads on this platform, else the JDK. */
    AUTO,
    /** OpenSSL only; start-up fails if it cannot load. */
    OPENSSL,
    /** The JDK's TLS implementation. */
    JDK;

    /** The spelling used in the configuration file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
