package io.portcullis.protocol.codec;

import java.util.List;

/** UNSUBSCRIBE. */
public record Unsubscribe(int packetId, List<String> topicFilters, List<UserProperty> userProperties)
        implements MqttPacket {

    public Unsubscribe {
        topicFilters = List.copyOf(topicFilters);
        userProperties = List.copyOf(userProperties);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
