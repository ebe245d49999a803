package io.portcullis.protocol.codec;

import java.util.List;

/**
 * Decodes the bodies of PUBLISH and its acknowledgements (PUBACK, PUBREC, PUBREL, PUBCOMP) for
 * MQTT 3.1.1 and 5.0. Called by {@link MqttPacketDecoder} on the connection's event loop; stateless.
 */
final class PublishDecoding {
    /** PUBACK and PUBREC Reason Codes, MQTT 5.0 sections 3.4.2.1 and 3.5.2.1. */
    private static final ReasonCodeSet PUBACK_CODES =
            ReasonCodeSet.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99);
    /** PUBREL and PUBCOMP Reason Codes, MQTT 5.0 sections 3.6.2.1 and 3.7.2.1. */
    private static final ReasonCodeSet PUBREL_CODES = ReasonCodeSet.of(0x00, 0x92);

    private PublishDecoding() {
    }

    /**
     * Decodes a PUBLISH whose fixed-header flags were already checked (QoS 3 and DUP at QoS 0 refused).
     *
     * @param serverSide whether the packet comes from a client
     */
    static Publish decodePublish(PacketReader reader, int flags, MqttVersion version, boolean serverSide)
            throws MalformedPacketException {
        boolean dup = (flags & 0x08) != 0;
        int qos = (flags & 0x06) >>> 1;
        boolean retain = (flags & 0x01) != 0;

        String topic = reader.readString("topic name");
        // A Topic Name with a wildcard is not a well-formed Topic Name [MQTT-3.3.2-2], so it is a Malformed
        // Packet in both versions. MQTT 5's 0x90 Topic Name invalid is, in the standard's own words, for a
        // name that "is not malformed, but is not accepted", such as one refused by authorization.
        if (containsWildcard(topic)) {
            throw MalformedPacketException.malformed("topic name contains a wildcard character");
        }
        int packetId = qos > 0 ? readPacketId(reader, PacketType.PUBLISH) : 0;
        PublishProperties properties = PublishProperties.NONE;
        if (version.isV5()) {
            DecodedProperties decoded = DecodedProperties.read(reader, Property.Scope.PUBLISH);
            // A client must not send a Subscription Identifier in PUBLISH [MQTT-3.3.4-6].
            if (serverSide && decoded.has(Property.SUBSCRIPTION_IDENTIFIER)) {
                throw MalformedPacketException.protocolError("PUBLISH from a client carries a Subscription Identifier");
            }
            properties = decoded.toPublishProperties();
        }
        // An empty Topic Name stands for the Topic Alias in MQTT 5 and is a Protocol Error without one
        // (3.3.2.1); MQTT 3.1.1 has no aliases and topic names are at least one character [MQTT-4.7.3-1].
        if (topic.isEmpty() && properties.topicAlias() == 0) {
            throw MalformedPacketException.protocolError(version.isV5()
                    ? "topic name is empty and there is no Topic Alias"
                    : "topic name is empty");
        }

        return new Publish(topic, qos, retain, dup, packetId, reader.readRemaining(), properties);
    }

    static Puback decodePuback(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        Acknowledgement ack = decodeAcknowledgement(reader, version, PacketType.PUBACK, PUBACK_CODES,
                Property.Scope.PUBACK);
        return new Puback(ack.packetId(), ack.reasonCode(), ack.reasonString(), ack.userProperties());
    }

    static Pubrec decodePubrec(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        Acknowledgement ack = decodeAcknowledgement(reader, version, PacketType.PUBREC, PUBACK_CODES,
                Property.Scope.PUBREC);
        return new Pubrec(ack.packetId(), ack.reasonCode(), ack.reasonString(), ack.userProperties());
    }

    static Pubrel decodePubrel(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        Acknowledgement ack = decodeAcknowledgement(reader, version, PacketType.PUBREL, PUBREL_CODES,
                Property.Scope.PUBREL);
        return new Pubrel(ack.packetId(), ack.reasonCode(), ack.reasonString(), ack.userProperties());
    }

    static Pubcomp decodePubcomp(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        Acknowledgement ack = decodeAcknowledgement(reader, version, PacketType.PUBCOMP, PUBREL_CODES,
                Property.Scope.PUBCOMP);
        return new Pubcomp(ack.packetId(), ack.reasonCode(), ack.reasonString(), ack.userProperties());
    }

    private static Acknowledgement decodeAcknowledgement(PacketReader reader, MqttVersion version, PacketType type,
            ReasonCodeSet allowedCodes, Property.Scope scope) throws MalformedPacketException {
        int packetId = readPacketId(reader, type);
        // MQTT 3.1.1 acknowledgements are the packet id alone; in MQTT 5, Remaining Length 2 means
        // Success without properties and 3 means a reason code without properties (e.g. 3.4.2.1).
        if (!version.isV5() || !reader.isReadable()) {
            return new Acknowledgement(packetId, ReasonCode.SUCCESS, DecodedProperties.NONE);
        }
        int reasonCode = reader.readUnsignedByte("reason code");
        if (!allowedCodes.contains(reasonCode)) {
            throw MalformedPacketException.protocolError(type + " reason code " + reasonCode + " is not defined");
        }
        DecodedProperties properties = reader.isReadable()
                ? DecodedProperties.read(reader, scope)
                : DecodedProperties.NONE;
        return new Acknowledgement(packetId, reasonCode, properties);
    }

    /**
     * Reads a Packet Identifier where the standard requires one, which must be non-zero [MQTT-2.2.1-3]. The
     * bytes parse, so a zero is a value the protocol does not allow: a Protocol Error.
     */
    static int readPacketId(PacketReader reader, PacketType type) throws MalformedPacketException {
        int packetId = reader.readUnsignedShort("packet identifier");
        if (packetId == 0) {
            throw MalformedPacketException.protocolError(type + " packet identifier is 0");
        }
        return packetId;
    }

    static boolean containsWildcard(String topic) {
        return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }

    private record Acknowledgement(int packetId, int reasonCode, DecodedProperties properties) {
        String reasonString() {
            return properties.string(Property.REASON_STRING);
        }

        List<UserProperty> userProperties() {
            return properties.userProperties();
        }
    }
}
