package io.portcullis.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server TLS context new connections use. A reload builds a new {@link ServerTlsContext} and
 * {@link #replace}s it here; each new connection reads the current one once, while established
 * connections keep the engine they were created with. Also counts the handshakes completed with these
 * contexts, full and resumed, so the share of returning clients that skip the public-key work is
 * visible. Lock-free reads and counts from any thread.
 */
public final class TlsContextHolder {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextHolder.class);

    private final AtomicReference<ServerTlsContext> current;
    private final LongAdder fullHandshakes = new LongAdder();
    private final LongAdder resumedHandshakes = new LongAdder();

    public TlsContextHolder(ServerTlsContext initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public ServerTlsContext current() {
        return current.get();
    }

    void handshakeCompleted(boolean resumed) {
        (resumed ? resumedHandshakes : fullHandshakes).increment();
    }

    /** Handshakes that verified a client certificate chain (no session was resumed). */
    public long fullHandshakes() {
        return fullHandshakes.sum();
    }

    /** Handshakes that resumed an earlier session from a ticket (or, on TLS 1.2, a session id). */
    public long resumedHandshakes() {
        return resumedHandshakes.sum();
    }

    /** Makes new connections use {@code next}; existing connections are untouched. */
    public void replace(ServerTlsContext next) {
        Objects.requireNonNull(next, "next");
        current.set(next);
        LOG.info("TLS context replaced: engine={} protocols={}", next.engine(), next.protocols());
    }
}
