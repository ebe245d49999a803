package io.portcullis.protocol.codec;

/**
 * Thrown inside the decoder when a packet body breaks the standard, and caught by
 * {@link MqttPacketDecoder}, which turns it into a {@link MalformedPacket} value. It never leaves the
 * codec package. It has no stack trace: it is an expected outcome on input a peer controls, and
 * building traces would let a misbehaving peer make us burn CPU.
 */
final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int reasonCode;
    private final transient MqttVersion version;

    MalformedPacketException(int reasonCode, String reason, MqttVersion version) {
        super(reason, null, false, false);
        this.reasonCode = reasonCode;
        this.version = version;
    }

    static MalformedPacketException malformed(String reason) {
        return new MalformedPacketException(ReasonCode.MALFORMED_PACKET, reason, null);
    }

    static MalformedPacketException protocolError(String reason) {
        return new MalformedPacketException(ReasonCode.PROTOCOL_ERROR, reason, null);
    }

    /** The same failure, tagged with the version a CONNECT announced before it went wrong. */
    MalformedPacketException inVersion(MqttVersion connectVersion) {
        return new MalformedPacketException(reasonCode, getMessage(), connectVersion);
    }

    int reasonCode() {
        return reasonCode;
    }

    /** The version the failing CONNECT announced, or {@code null}. */
    MqttVersion version() {
        return version;
    }
}
