package io.portcullis.protocol.codec;

import java.util.List;

/** PUBACK. {@code reasonString} is {@code null} when absent; MQTT 3.1.1 carries only the packet id. */
public record Puback(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
        implements MqttPacket {

    public Puback {
        userProperties = List.copyOf(userProperties);
    }

    public Puback(int packetId, int reasonCode) {
        this(packetId, reasonCode, null, List.of());
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
