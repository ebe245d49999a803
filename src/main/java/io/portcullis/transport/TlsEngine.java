package io.portcullis.transport;

/**
 * Which TLS implementation terminates connections. {@link #Auto} is only a setting; a built
 * context always reports the engine it actually uses ({@link #OpenSsl} or {@link #Jdk}).
 */
public enum TlsEngine {
    /** Let {@link TlsContextFactory} choose; see its javadoc for the rule. */
    Auto,
    /** BoringSSL through netty-tcnative. */
    OpenSsl,
    /** The JDK's SunJSSE {@code SSLEngine}. */
    Jdk
}
