package io.portcullis.transport;

import java.util.Objects;

/**
 * The secure WebSocket listener's HTTP side.
 *
 * @param path            the only path that upgrades, {@code /mqtt} by default
 * @param maxFramePayload the largest WebSocket frame payload accepted, in bytes; a larger frame closes
 *                        the connection
 */
public record WebSocketSettings(String path, int maxFramePayload) {

    /** Room for a maximum-size MQTT packet (1 MiB by default) plus its header in one frame. */
    public static final WebSocketSettings DEFAULTS = new WebSocketSettings("/mqtt", 1024 * 1024 + 16);

    public WebSocketSettings {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("WebSocket path must start with '/': " + path);
        }
        if (maxFramePayload < 1) {
            throw new IllegalArgumentException("maxFramePayload must be positive: " + maxFramePayload);
        }
    }
}
