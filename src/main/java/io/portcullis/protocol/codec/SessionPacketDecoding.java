package io.portcullis.protocol.codec;

import java.util.List;

/**
 * Decodes the bodies of the packets that open, authenticate and close a connection: CONNECT,
 * CONNACK, DISCONNECT and AUTH, for MQTT 3.1.1 and 5.0. Called by {@link MqttPacketDecoder} on the
 * connection's event loop; stateless.
 */
final class SessionPacketDecoding {
    private static final String PROTOCOL_NAME = "MQTT";

    private static final int FLAG_USERNAME = 0x80;
    private static final int FLAG_PASSWORD = 0x40;
    private static final int FLAG_WILL_RETAIN = 0x20;
    private static final int FLAG_WILL_QOS = 0x18;
    private static final int FLAG_WILL = 0x04;
    private static final int FLAG_CLEAN_START = 0x02;
    private static final int FLAG_RESERVED = 0x01;

    /** CONNACK Reason Codes, MQTT 5.0 section 3.2.2.2. */
    private static final ReasonCodeSet CONNACK_CODES = ReasonCodeSet.of(0x00, 0x80, 0x81, 0x82, 0x83, 0x84,
            0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    /** DISCONNECT Reason Codes, MQTT 5.0 section 3.14.2.1. */
    private static final ReasonCodeSet DISCONNECT_CODES = ReasonCodeSet.of(0x00, 0x04, 0x80, 0x81, 0x82, 0x83,
            0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C,
            0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2);
    /** AUTH Reason Codes, MQTT 5.0 section 3.15.2.1. */
    private static final ReasonCodeSet AUTH_CODES = ReasonCodeSet.of(0x00, 0x18, 0x19);

    private SessionPacketDecoding() {
    }

    static Connect decodeConnect(PacketReader reader) throws MalformedPacketException {
        String protocolName = reader.readString("protocol name");
        int level = reader.readUnsignedByte("protocol level");
        // A wrong protocol name may be answered with 0x84 [MQTT-3.1.2-1] (5.0); 3.1.1 lets the server close or
        // answer as it likes [MQTT-3.1.2-1]. "MQIsdp" (MQTT 3.1, level 3) lands here too.
        if (!PROTOCOL_NAME.equals(protocolName)) {
            throw new MalformedPacketException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol name is not MQTT", null);
        }
        MqttVersion version = MqttVersion.ofLevel(level);
        if (version == null) {
            throw new MalformedPacketException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "protocol level " + level + " is not supported", null);
        }

        try {
            return decodeConnect(reader, version);
        } catch (MalformedPacketException e) {
            // The handler answers a bad CONNECT in the version it announced (CONNACK 0x81 for 5.0, a close for 3.1.1).
            throw e.inVersion(version);
        }
    }

    private static Connect decodeConnect(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int flags = reader.readUnsignedByte("connect flags");
        checkConnectFlags(flags, version);
        int keepAlive = reader.readUnsignedShort("keep alive");
        DecodedProperties properties = version.isV5()
                ? DecodedProperties.read(reader, Property.Scope.CONNECT)
                : DecodedProperties.NONE;
        // It is a Protocol Error to include Authentication Data without an Authentication Method (3.1.2.11.10).
        if (properties.has(Property.AUTHENTICATION_DATA) && !properties.has(Property.AUTHENTICATION_METHOD)) {
            throw MalformedPacketException.protocolError("Authentication Data without an Authentication Method");
        }

        String clientId = reader.readString("client identifier");
        Connect.Will will = null;
        if ((flags & FLAG_WILL) != 0) {
            will = decodeWill(reader, version, flags);
        }
        String username = (flags & FLAG_USERNAME) != 0 ? reader.readString("user name") : null;
        byte[] password = (flags & FLAG_PASSWORD) != 0 ? reader.readBinary("password") : null;

        Long sessionExpiry = properties.fourByteInteger(Property.SESSION_EXPIRY_INTERVAL);
        Integer receiveMaximum = properties.integer(Property.RECEIVE_MAXIMUM);
        Long maximumPacketSize = properties.fourByteInteger(Property.MAXIMUM_PACKET_SIZE);
        Integer topicAliasMaximum = properties.integer(Property.TOPIC_ALIAS_MAXIMUM);
        Boolean requestResponse = properties.flag(Property.REQUEST_RESPONSE_INFORMATION);
        Boolean requestProblem = properties.flag(Property.REQUEST_PROBLEM_INFORMATION);
        return new Connect(version, clientId, (flags & FLAG_CLEAN_START) != 0, keepAlive, username, password, will,
                sessionExpiry == null ? 0 : sessionExpiry,
                receiveMaximum == null ? Connect.DEFAULT_RECEIVE_MAXIMUM : receiveMaximum,
                maximumPacketSize == null ? Connect.NO_MAXIMUM_PACKET_SIZE : maximumPacketSize,
                topicAliasMaximum == null ? 0 : topicAliasMaximum,
                requestResponse != null && requestResponse,
                requestProblem == null || requestProblem,
                properties.userProperties(),
                properties.string(Property.AUTHENTICATION_METHOD),
                properties.binary(Property.AUTHENTICATION_DATA));
    }

    private static void checkConnectFlags(int flags, MqttVersion version) throws MalformedPacketException {
        if ((flags & FLAG_RESERVED) != 0) {
            throw MalformedPacketException.malformed("reserved connect flag is set");
        }
        int willQos = (flags & FLAG_WILL_QOS) >>> 3;
        if (willQos == 3) {
            throw MalformedPacketException.malformed("Will QoS is 3");
        }
        if ((flags & FLAG_WILL) == 0 && (willQos != 0 || (flags & FLAG_WILL_RETAIN) != 0)) {
            throw MalformedPacketException.malformed("Will QoS or Will Retain is set without the Will flag");
        }
        // MQTT 5 allows a password without a user name; 3.1.1 does not [MQTT-3.1.2-22].
        if (!version.isV5() && (flags & FLAG_PASSWORD) != 0 && (flags & FLAG_USERNAME) == 0) {
            throw MalformedPacketException.malformed("password flag is set without the user name flag");
        }
    }

    private static Connect.Will decodeWill(PacketReader reader, MqttVersion version, int flags)
            throws MalformedPacketException {
        DecodedProperties properties = version.isV5()
                ? DecodedProperties.read(reader, Property.Scope.WILL)
                : DecodedProperties.NONE;
        String topic = reader.readString("Will topic");
        // The Will Topic is a Topic Name, so the PUBLISH topic rules apply (and give the same codes).
        if (topic.isEmpty()) {
            throw MalformedPacketException.protocolError("Will topic is empty");
        }
        if (PublishDecoding.containsWildcard(topic)) {
            throw MalformedPacketException.malformed("Will topic contains a wildcard character");
        }
        byte[] payload = reader.readBinary("Will payload");

        Long willDelay = properties.fourByteInteger(Property.WILL_DELAY_INTERVAL);
        return new Connect.Will(topic, payload, (flags & FLAG_WILL_QOS) >>> 3, (flags & FLAG_WILL_RETAIN) != 0,
                version.isV5() ? properties.toPublishProperties() : PublishProperties.NONE,
                willDelay == null ? 0 : willDelay);
    }

    static Connack decodeConnack(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int acknowledgeFlags = reader.readUnsignedByte("connect acknowledge flags");
        if ((acknowledgeFlags & 0xFE) != 0) {
            throw MalformedPacketException.malformed("reserved connect acknowledge flags are set");
        }
        boolean sessionPresent = acknowledgeFlags == 1;
        int reasonCode = reader.readUnsignedByte("reason code");
        if (!version.isV5()) {
            if (reasonCode > ReasonCode.V3_NOT_AUTHORIZED) {
                throw MalformedPacketException.protocolError("CONNACK return code " + reasonCode + " is reserved");
            }
            return Connack.of(sessionPresent, reasonCode, null);
        }

        if (!CONNACK_CODES.contains(reasonCode)) {
            throw MalformedPacketException.protocolError("CONNACK reason code " + reasonCode + " is not defined");
        }
        if (sessionPresent && reasonCode != ReasonCode.SUCCESS) {
            throw MalformedPacketException.protocolError("session present is set on a refusing CONNACK");
        }
        DecodedProperties properties = DecodedProperties.read(reader, Property.Scope.CONNACK);
        Integer maximumQos = properties.integer(Property.MAXIMUM_QOS);
        return new Connack(sessionPresent, reasonCode,
                properties.fourByteInteger(Property.SESSION_EXPIRY_INTERVAL),
                properties.integer(Property.RECEIVE_MAXIMUM),
                maximumQos,
                properties.flag(Property.RETAIN_AVAILABLE),
                properties.fourByteInteger(Property.MAXIMUM_PACKET_SIZE),
                properties.string(Property.ASSIGNED_CLIENT_IDENTIFIER),
                properties.integer(Property.TOPIC_ALIAS_MAXIMUM),
                properties.string(Property.REASON_STRING),
                properties.userProperties(),
                properties.flag(Property.WILDCARD_SUBSCRIPTION_AVAILABLE),
                properties.flag(Property.SUBSCRIPTION_IDENTIFIERS_AVAILABLE),
                properties.flag(Property.SHARED_SUBSCRIPTION_AVAILABLE),
                properties.integer(Property.SERVER_KEEP_ALIVE),
                properties.string(Property.RESPONSE_INFORMATION),
                properties.string(Property.SERVER_REFERENCE),
                properties.string(Property.AUTHENTICATION_METHOD),
                properties.binary(Property.AUTHENTICATION_DATA));
    }

    static Disconnect decodeDisconnect(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        // MQTT 3.1.1 DISCONNECT has no variable header and no payload (section 3.14).
        if (!version.isV5()) {
            if (reader.isReadable()) {
                throw MalformedPacketException.malformed("MQTT 3.1.1 DISCONNECT has a non-zero remaining length");
            }
            return Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null);
        }

        // Remaining Length 0 means Normal disconnection; below 2 there is no property length (3.14.2.1).
        if (!reader.isReadable()) {
            return Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null);
        }
        int reasonCode = reader.readUnsignedByte("reason code");
        if (!DISCONNECT_CODES.contains(reasonCode)) {
            throw MalformedPacketException.protocolError("DISCONNECT reason code " + reasonCode + " is not defined");
        }
        DecodedProperties properties = reader.isReadable()
                ? DecodedProperties.read(reader, Property.Scope.DISCONNECT)
                : DecodedProperties.NONE;
        return new Disconnect(reasonCode, properties.fourByteInteger(Property.SESSION_EXPIRY_INTERVAL),
                properties.string(Property.REASON_STRING), properties.userProperties(),
                properties.string(Property.SERVER_REFERENCE));
    }

    static Auth decodeAuth(PacketReader reader) throws MalformedPacketException {
        // Remaining Length 0 means Success with no properties (3.15.2.1).
        if (!reader.isReadable()) {
            return new Auth(ReasonCode.SUCCESS, null, null, null, List.of());
        }
        int reasonCode = reader.readUnsignedByte("reason code");
        if (!AUTH_CODES.contains(reasonCode)) {
            throw MalformedPacketException.protocolError("AUTH reason code " + reasonCode + " is not defined");
        }
        DecodedProperties properties = reader.isReadable()
                ? DecodedProperties.read(reader, Property.Scope.AUTH)
                : DecodedProperties.NONE;
        // It is a Protocol Error to omit the Authentication Method (3.15.2.2.2).
        if (!properties.has(Property.AUTHENTICATION_METHOD)) {
            throw MalformedPacketException.protocolError("AUTH has no Authentication Method");
        }
        return new Auth(reasonCode, properties.string(Property.AUTHENTICATION_METHOD),
                properties.binary(Property.AUTHENTICATION_DATA), properties.string(Property.REASON_STRING),
                properties.userProperties());
    }
}
