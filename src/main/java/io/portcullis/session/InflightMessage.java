package io.portcullis.session;

import java.util.Objects;

/**
 * An outbound QoS 1 or 2 message sent to the client and not yet fully acknowledged.
 *
 * @param packetId the identifier it was sent with, kept for re-delivery [MQTT-4.4.0-1]
 * @param message  what was sent
 * @param released whether PUBREC arrived and PUBREL was sent (QoS 2); it is then re-sent as PUBREL
 */
public record InflightMessage(int packetId, QueuedMessage message, boolean released) {
    public InflightMessage {
        Objects.requireNonNull(message, "message");
        if (packetId < 1 || packetId > 65_535) {
            throw new IllegalArgumentException("packetId must be 1..65535");
        }
    }

    InflightMessage asReleased() {
        return new InflightMessage(packetId, message, true);
    }
}
