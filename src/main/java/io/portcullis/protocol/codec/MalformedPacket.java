package io.portcullis.protocol.codec;

/**
 * What the decoder emits instead of a packet when the bytes break the standard: a failed decode is
 * a value, not an exception. After emitting it the decoder discards all further input; the
 * protocol handler answers as the version requires (CONNACK before the session exists, DISCONNECT
 * for MQTT 5 after it, a bare close for MQTT 3.1.1) and closes the connection.
 *
 * @param version     the connection's version when known (from the CONNECT), else {@code null}
 * @param packetType  the type the bad packet announced, {@code null} when unknown
 * @param reasonCode  the MQTT 5 reason code: 0x81 Malformed Packet, 0x82 Protocol Error,
 *                    0x84 Unsupported Protocol Version, 0x95 Packet Too Large, ...
 * @param reason      what was wrong, for the log and the MQTT 5 Reason String; never contains payload bytes
 */
public record MalformedPacket(MqttVersion version, PacketType packetType, int reasonCode, String reason)
        implements MqttPacket {

    @Override
    public PacketType type() {
        return packetType;
    }
}
