package io.portcullis.protocol.codec;

/** PINGRESP. */
public record Pingresp() implements MqttPacket {
    public static final Pingresp INSTANCE = new Pingresp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
