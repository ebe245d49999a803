package io.portcullis.protocol.codec;

import java.util.List;

/**
 * DISCONNECT. MQTT 3.1.1 has no fields (reason 0 is implied). {@code sessionExpiryInterval},
 * {@code reasonString} and {@code serverReference} are {@code null} when absent.
 */
public record Disconnect(int reasonCode, Long sessionExpiryInterval, String reasonString,
                         List<UserProperty> userProperties, String serverReference) implements MqttPacket {

    public Disconnect {
        userProperties = List.copyOf(userProperties);
    }

    public static Disconnect of(int reasonCode, String reasonString) {
        return new Disconnect(reasonCode, null, reasonString, List.of(), null);
    }

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }
}
