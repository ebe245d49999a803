package io.portcullis.config;

import java.util.Objects;

/**
 * The MQTT-over-TLS listener. Port 0 asks the operating system for a free port (tests use it).
 *
 * @param enabled     whether the listener starts
 * @param bindAddress IPv4 or IPv6 address to bind, {@code 0.0.0.0} for all IPv4 interfaces; the loader
 *                    refuses host names
 * @param port        TCP port, 0–65535
 */
public record ListenerConfig(boolean enabled, String bindAddress, int port) {
    public static final ListenerConfig MQTTS_DEFAULTS = new ListenerConfig(true, "0.0.0.0", 8883);

    public ListenerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
    }
}
