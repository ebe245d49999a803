package io.portcullis.transport;

import io.netty.handler.ssl.SslContext;

import java.util.List;
import java.util.Objects;

/**
 * A built server TLS context and facts about it for the listener's start-up log.
 *
 * @param sslContext the Netty context new connections take their {@code SslHandler} from
 * @param engine     the engine actually in use, never {@link TlsEngine#Auto}
 * @param protocols  enabled protocol versions, newest first
 * @param resumption whether sessions may be resumed; when false each established session is invalidated so
 *                   that not even a TLS 1.2 session id resumes it
 */
public record ServerTlsContext(SslContext sslContext, TlsEngine engine, List<String> protocols, boolean resumption) {
    public ServerTlsContext {
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(engine, "engine");
        if (engine == TlsEngine.Auto) {
            throw new IllegalArgumentException("A built context reports a concrete engine, not Auto");
        }
        protocols = List.copyOf(protocols);
    }
}
