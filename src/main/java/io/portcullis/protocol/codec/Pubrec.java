package io.portcullis.protocol.codec;

import java.util.List;

/** PUBREC. {@code reasonString} is {@code null} when absent; MQTT 3.1.1 carries only the packet id. */
public record Pubrec(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
        implements MqttPacket {

    public Pubrec {
        userProperties = List.copyOf(userProperties);
    }

    public Pubrec(int packetId, int reasonCode) {
        this(packetId, reasonCode, null, List.of());
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
