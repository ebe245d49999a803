package io.portcullis.protocol.codec;

/** PINGREQ. */
public record Pingreq() implements MqttPacket {
    public static final Pingreq INSTANCE = new Pingreq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
