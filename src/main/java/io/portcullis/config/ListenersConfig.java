package io.portcullis.config;

import java.util.Objects;

/** The broker's listeners and the limits on new connections; there is no plaintext listener (SPEC 1). */
public record ListenersConfig(ListenerConfig mqtts, WebSocketListenerConfig websocket, AcceptLimits acceptLimits) {
    public static final ListenersConfig DEFAULTS =
            new ListenersConfig(ListenerConfig.MQTTS_DEFAULTS, WebSocketListenerConfig.DEFAULTS);

    public ListenersConfig {
        Objects.requireNonNull(mqtts, "mqtts");
        Objects.requireNonNull(websocket, "websocket");
        Objects.requireNonNull(acceptLimits, "acceptLimits");
    }

    /** Listeners with the default accept limits. */
    public ListenersConfig(ListenerConfig mqtts, WebSocketListenerConfig websocket) {
        this(mqtts, websocket, AcceptLimits.DEFAULTS);
    }
}
