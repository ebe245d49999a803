package io.portcullis.protocol.codec;

import java.util.List;

/** AUTH (MQTT 5 only). Absent fields are {@code null}. */
public record Auth(int reasonCode, String authenticationMethod, byte[] authenticationData, String reasonString,
                   List<UserProperty> userProperties) implements MqttPacket {

    public Auth {
        userProperties = List.copyOf(userProperties);
    }

    @Override
    public PacketType type() {
        return PacketType.AUTH;
    }
}
