package io.portcullis.protocol.codec;

import java.util.List;

/** PUBCOMP. {@code reasonString} is {@code null} when absent; MQTT 3.1.1 carries only the packet id. */
public record Pubcomp(int packetId, int reasonCode, String reasonString, List<UserProperty> userProperties)
        implements MqttPacket {

    public Pubcomp {
        userProperties = List.copyOf(userProperties);
    }

    public Pubcomp(int packetId, int reasonCode) {
        this(packetId, reasonCode, null, List.of());
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
