package io.portcullis.config;

import java.util.Objects;

/**
 * The MQTT-over-secure-WebSockets listener (SPEC 1).
 *
 * @param enabled      whether the listener starts
 * @param bindAddress  IPv4 or IPv6 address to bind; the loader refuses host names
 * @param port         TCP port, 0–65535
 * @param path         HTTP path of the WebSocket upgrade, starting with {@code /}
 * @param maxFrameSize largest WebSocket frame payload accepted, in bytes
 */
public record WebSocketListenerConfig(boolean enabled, String bindAddress, int port, String path, int maxFrameSize) {
    public static final WebSocketListenerConfig DEFAULTS =
            new WebSocketListenerConfig(true, "0.0.0.0", 443, "/mqtt", 1024 * 1024);

    public WebSocketListenerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(path, "path");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be positive");
        }
    }
}
