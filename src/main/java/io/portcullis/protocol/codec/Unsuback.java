package io.portcullis.protocol.codec;

import java.util.List;

/** UNSUBACK. MQTT 3.1.1 sends only the packet id; the reason codes are MQTT 5's. */
public record Unsuback(int packetId, List<Integer> reasonCodes, String reasonString,
                       List<UserProperty> userProperties) implements MqttPacket {

    public Unsuback {
        reasonCodes = List.copyOf(reasonCodes);
        userProperties = List.copyOf(userProperties);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
