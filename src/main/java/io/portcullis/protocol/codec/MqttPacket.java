package io.portcullis.protocol.codec;

/**
 * A decoded MQTT control packet, or one to encode. Packets are immutable values; payloads are
 * plain byte arrays so a message can be shared by every subscriber of a fan-out without reference
 * counting. Fields that MQTT 3.1.1 cannot carry are ignored when encoding for that version.
 */
public sealed interface MqttPacket permits Connect, Connack, Publish, Puback, Pubrec, Pubrel, Pubcomp,
        Subscribe, Suback, Unsubscribe, Unsuback, Pingreq, Pingresp, Disconnect, Auth, MalformedPacket {

    PacketType type();
}
