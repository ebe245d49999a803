package io.portcullis.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server TLS context new connections use. A reload builds a new {@link ServerTlsContext} and
 * {@link #replace}s it here; each new connection reads the current one once, while established
 * connections keep the engine they were created with. Lock-free reads from any thread.
 */
public final class TlsContextHolder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextHolder.class);

    private final AtomicReference<ServerTlsContext> current;

    public TlsContextHolder(ServerTlsContext initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public ServerTlsContext current() {
        return current.get();
    }

    /** Makes new connections use {@code next}; existing connections are untouched. */
    public void replace(ServerTlsContext next) {
        Objects.requireNonNull(next, "next");
        current.set(next);
        LOG.info("TLS context replaced: engine={} protocols={}", next.engine(), next.protocols());
    }
}
