package io.portcullis.transport;

import java.nio.channels.UnresolvedAddressException;
import java.util.Objects;

/**
 * A listener could not bind its address and port (already in use, a privileged port, an address this
 * host does not have). Carries the listener's name, address and port so that the command line can say
 * which setting to change; the cause is the operating system's error. Thrown by
 * {@link TransportListener#start()} on the start-up thread.
 */
public final class ListenerBindException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String listenerName;
    private final String bindAddress;
    private final int port;

    public ListenerBindException(String listenerName, String bindAddress, int port, Throwable cause) {
        super("Cannot bind listener " + listenerName + " to " + bindAddress + ":" + port + ": "
                + (cause == null ? "unknown error" : cause.getMessage()), cause);
        this.listenerName = Objects.requireNonNull(listenerName, "listenerName");
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.port = port;
    }

    /** The listener's name: {@code mqtts} or {@code wss}. */
    public String listenerName() {
        return listenerName;
    }

    public String bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }

    /** The operating system's reason, e.g. {@code Address already in use}. */
    public String reason() {
        Throwable cause = getCause();
        if (cause instanceof UnresolvedAddressException) {
            // The loader accepts IP literals only; a configuration built in code may still hold a name.
            return bindAddress + " cannot be resolved to an address";
        }
        if (cause == null || cause.getMessage() == null) {
            return "unknown error";
        }
        // Netty's native transport prefixes the call: "bind(..) failed with error(-98): Address already in use".
        return cause.getMessage().replaceFirst("^\\w+\\(\\.\\.\\) failed[^:]*:\\s*", "");
    }
}
