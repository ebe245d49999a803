package io.portcullis.protocol.codec;

import java.util.List;
import java.util.Objects;

/**
 * CONNECT. {@code username} and {@code password} are {@code null} when their flags are clear;
 * {@code will} is {@code null} without the Will flag. For MQTT 3.1.1 {@code cleanStart} carries the
 * Clean Session flag and the MQTT 5 properties keep their defaults.
 */
public record Connect(
        MqttVersion version,
        String clientId,
        boolean cleanStart,
        int keepAliveSeconds,
        String username,
        byte[] password,
        Will will,
        long sessionExpiryInterval,
        int receiveMaximum,
        long maximumPacketSize,
        int topicAliasMaximum,
        boolean requestResponseInformation,
        boolean requestProblemInformation,
        List<UserProperty> userProperties,
        String authenticationMethod,
        byte[] authenticationData) implements MqttPacket {

    /** MQTT 5 default Receive Maximum when the property is absent. */
    public static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;
    /** Marks an absent Maximum Packet Size: the client imposes no limit beyond the protocol's. */
    public static final long NO_MAXIMUM_PACKET_SIZE = 0;

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        userProperties = List.copyOf(userProperties);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    /** The Will message and, for MQTT 5, its properties and Will Delay Interval. */
    public record Will(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties,
                       long willDelayInterval) {
        public Will {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(properties, "properties");
        }
    }
}
