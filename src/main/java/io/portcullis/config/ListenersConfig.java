package io.portcullis.config;

import java.util.Objects;

/** The broker's listeners; there is no plaintext listener (SPEC 1). */
public record ListenersConfig(ListenerConfig mqtts, WebSocketListenerConfig websocket) {
    public static final ListenersConfig DEFAULTS =
            new ListenersConfig(ListenerConfig.MQTTS_DEFAULTS, WebSocketListenerConfig.DEFAULTS);

    public ListenersConfig {
        Objects.requireNonNull(mqtts, "mqtts");
        Objects.requireNonNull(websocket, "websocket");
    }
}
