package io.portcullis.protocol.codec;

import java.util.Objects;

/**
 * PUBLISH. {@code packetId} is 0 at QoS 0. {@code topic} may be empty only when an MQTT 5 Topic
 * Alias stands in for it (the protocol handler resolves aliases; the codec does not).
 */
public record Publish(String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload,
                      PublishProperties properties) implements MqttPacket {

    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }
}
