package io.portcullis.protocol.codec;

import java.util.List;

/**
 * Writes what follows the fixed header of each packet type, for MQTT 3.1.1 and 5.0. Fields MQTT 3.1.1
 * cannot carry are dropped for it. Stateless; used by {@link MqttPacketEncoder}.
 */
final class PacketBodyEncoding {
    private static final String PROTOCOL_NAME = "MQTT";

    private PacketBodyEncoding() {
    }

    /** The first byte of the fixed header: packet type and flags (section 2.1). */
    static int firstByte(MqttPacket packet) {
        int flags = switch (packet.type()) {
            case PUBLISH -> {
                Publish publish = (Publish) packet;
                yield (publish.dup() ? 0x08 : 0) | (publish.qos() << 1) | (publish.retain() ? 0x01 : 0);
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0x02;
            default -> 0x00;
        };
        return (packet.type().value() << 4) | flags;
    }

    /**
     * Writes the variable header and payload.
     *
     * @param withPublishPayload {@code false} to stop a PUBLISH before its payload, which the encoder sends
     *                           as a separate buffer
     */
    static void write(PacketWriter writer, MqttPacket packet, MqttVersion version, boolean withPublishPayload) {
        boolean v5 = version.isV5();
        switch (packet.type()) {
            case CONNECT -> writeConnect(writer, (Connect) packet);
            case CONNACK -> writeConnack(writer, (Connack) packet, v5);
            case PUBLISH -> writePublish(writer, (Publish) packet, v5, withPublishPayload);
            case PUBACK -> {
                Puback ack = (Puback) packet;
                writeAcknowledgement(writer, v5, ack.packetId(), ack.reasonCode(), ack.reasonString(),
                        ack.userProperties());
            }
            case PUBREC -> {
                Pubrec ack = (Pubrec) packet;
                writeAcknowledgement(writer, v5, ack.packetId(), ack.reasonCode(), ack.reasonString(),
                        ack.userProperties());
            }
            case PUBREL -> {
                Pubrel ack = (Pubrel) packet;
                writeAcknowledgement(writer, v5, ack.packetId(), ack.reasonCode(), ack.reasonString(),
                        ack.userProperties());
            }
            case PUBCOMP -> {
                Pubcomp ack = (Pubcomp) packet;
                writeAcknowledgement(writer, v5, ack.packetId(), ack.reasonCode(), ack.reasonString(),
                        ack.userProperties());
            }
            case SUBSCRIBE -> writeSubscribe(writer, (Subscribe) packet, v5);
            case SUBACK -> writeSuback(writer, (Suback) packet, v5);
            case UNSUBSCRIBE -> writeUnsubscribe(writer, (Unsubscribe) packet, v5);
            case UNSUBACK -> writeUnsuback(writer, (Unsuback) packet, v5);
            case PINGREQ, PINGRESP -> {
            }
            case DISCONNECT -> writeDisconnect(writer, (Disconnect) packet, v5);
            case AUTH -> writeAuth(writer, (Auth) packet, v5);
        }
    }

    private static void writeConnect(PacketWriter writer, Connect connect) {
        boolean v5 = connect.version().isV5();
        Connect.Will will = connect.will();
        int flags = (connect.username() != null ? 0x80 : 0) | (connect.password() != null ? 0x40 : 0)
                | (connect.cleanStart() ? 0x02 : 0);
        if (will != null) {
            flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
        }
        writer.writeString(PROTOCOL_NAME);
        writer.writeByte(connect.version().level());
        writer.writeByte(flags);
        writer.writeTwoByteInteger(connect.keepAliveSeconds());
        if (v5) {
            PropertyWriting.block(writer, connect, PacketBodyEncoding::writeConnectProperties);
        }

        writer.writeString(connect.clientId());
        if (will != null) {
            if (v5) {
                PropertyWriting.block(writer, will, PacketBodyEncoding::writeWillProperties);
            }
            writer.writeString(will.topic());
            writer.writeBinary(will.payload());
        }
        if (connect.username() != null) {
            writer.writeString(connect.username());
        }
        if (connect.password() != null) {
            writer.writeBinary(connect.password());
        }
    }

    /** Properties at their default value are left out: absent and default mean the same (3.1.2.11). */
    private static void writeConnectProperties(PacketWriter writer, Connect connect) {
        if (connect.sessionExpiryInterval() != 0) {
            PropertyWriting.writeFourByteInteger(writer, Property.SESSION_EXPIRY_INTERVAL,
                    connect.sessionExpiryInterval());
        }
        if (connect.receiveMaximum() != Connect.DEFAULT_RECEIVE_MAXIMUM) {
            PropertyWriting.writeTwoByteInteger(writer, Property.RECEIVE_MAXIMUM, connect.receiveMaximum());
        }
        if (connect.maximumPacketSize() != Connect.NO_MAXIMUM_PACKET_SIZE) {
            PropertyWriting.writeFourByteInteger(writer, Property.MAXIMUM_PACKET_SIZE, connect.maximumPacketSize());
        }
        if (connect.topicAliasMaximum() != 0) {
            PropertyWriting.writeTwoByteInteger(writer, Property.TOPIC_ALIAS_MAXIMUM, connect.topicAliasMaximum());
        }
        if (connect.requestResponseInformation()) {
            PropertyWriting.writeByte(writer, Property.REQUEST_RESPONSE_INFORMATION, 1);
        }
        if (!connect.requestProblemInformation()) {
            PropertyWriting.writeByte(writer, Property.REQUEST_PROBLEM_INFORMATION, 0);
        }
        PropertyWriting.writeUserProperties(writer, connect.userProperties());
        PropertyWriting.writeString(writer, Property.AUTHENTICATION_METHOD, connect.authenticationMethod());
        PropertyWriting.writeBinary(writer, Property.AUTHENTICATION_DATA, connect.authenticationData());
    }

    private static void writeWillProperties(PacketWriter writer, Connect.Will will) {
        if (will.willDelayInterval() != 0) {
            PropertyWriting.writeFourByteInteger(writer, Property.WILL_DELAY_INTERVAL, will.willDelayInterval());
        }
        PropertyWriting.writePublishProperties(writer, will.properties());
    }

    private static void writeConnack(PacketWriter writer, Connack connack, boolean v5) {
        writer.writeByte(connack.sessionPresent() ? 0x01 : 0x00);
        // The caller picks the code for the version (a 3.1.1 return code or an MQTT 5 reason code).
        writer.writeByte(connack.reasonCode());
        if (v5) {
            PropertyWriting.block(writer, connack, PacketBodyEncoding::writeConnackProperties);
        }
    }

    private static void writeConnackProperties(PacketWriter writer, Connack connack) {
        PropertyWriting.writeFourByteInteger(writer, Property.SESSION_EXPIRY_INTERVAL,
                connack.sessionExpiryInterval());
        PropertyWriting.writeTwoByteInteger(writer, Property.RECEIVE_MAXIMUM, connack.receiveMaximum());
        PropertyWriting.writeByte(writer, Property.MAXIMUM_QOS, connack.maximumQos());
        PropertyWriting.writeFlag(writer, Property.RETAIN_AVAILABLE, connack.retainAvailable());
        PropertyWriting.writeFourByteInteger(writer, Property.MAXIMUM_PACKET_SIZE, connack.maximumPacketSize());
        PropertyWriting.writeString(writer, Property.ASSIGNED_CLIENT_IDENTIFIER,
                connack.assignedClientIdentifier());
        PropertyWriting.writeTwoByteInteger(writer, Property.TOPIC_ALIAS_MAXIMUM, connack.topicAliasMaximum());
        PropertyWriting.writeString(writer, Property.REASON_STRING, connack.reasonString());
        PropertyWriting.writeUserProperties(writer, connack.userProperties());
        PropertyWriting.writeFlag(writer, Property.WILDCARD_SUBSCRIPTION_AVAILABLE,
                connack.wildcardSubscriptionAvailable());
        PropertyWriting.writeFlag(writer, Property.SUBSCRIPTION_IDENTIFIERS_AVAILABLE,
                connack.subscriptionIdentifiersAvailable());
        PropertyWriting.writeFlag(writer, Property.SHARED_SUBSCRIPTION_AVAILABLE,
                connack.sharedSubscriptionAvailable());
        PropertyWriting.writeTwoByteInteger(writer, Property.SERVER_KEEP_ALIVE, connack.serverKeepAlive());
        PropertyWriting.writeString(writer, Property.RESPONSE_INFORMATION, connack.responseInformation());
        PropertyWriting.writeString(writer, Property.SERVER_REFERENCE, connack.serverReference());
        PropertyWriting.writeString(writer, Property.AUTHENTICATION_METHOD, connack.authenticationMethod());
        PropertyWriting.writeBinary(writer, Property.AUTHENTICATION_DATA, connack.authenticationData());
    }

    private static void writePublish(PacketWriter writer, Publish publish, boolean v5, boolean withPayload) {
        writer.writeString(publish.topic());
        if (publish.qos() > 0) {
            writer.writeTwoByteInteger(publish.packetId());
        }
        if (v5) {
            PropertyWriting.block(writer, publish.properties(), PacketBodyEncoding::writePublishProperties);
        }
        if (withPayload) {
            writer.writeBytes(publish.payload());
        }
    }

    private static void writePublishProperties(PacketWriter writer, PublishProperties properties) {
        PropertyWriting.writePublishProperties(writer, properties);
        if (properties.topicAlias() != 0) {
            PropertyWriting.writeTwoByteInteger(writer, Property.TOPIC_ALIAS, properties.topicAlias());
        }
        for (int identifier : properties.subscriptionIdentifiers()) {
            PropertyWriting.writeVariableByteInteger(writer, Property.SUBSCRIPTION_IDENTIFIER, identifier);
        }
    }

    private static void writeAcknowledgement(PacketWriter writer, boolean v5, int packetId, int reasonCode,
            String reasonString, List<UserProperty> userProperties) {
        writer.writeTwoByteInteger(packetId);
        if (!v5) {
            return;
        }
        // Short forms (e.g. 3.4.2.1): Success without properties is the packet id alone; a reason code
        // without properties needs no property length.
        boolean hasProperties = reasonString != null || !userProperties.isEmpty();
        if (reasonCode == ReasonCode.SUCCESS && !hasProperties) {
            return;
        }
        writer.writeByte(reasonCode);
        if (hasProperties) {
            writeReasonProperties(writer, reasonString, userProperties);
        }
    }

    private static void writeReasonProperties(PacketWriter writer, String reasonString,
            List<UserProperty> userProperties) {
        PacketWriter counter = PacketWriter.counting();
        PropertyWriting.writeString(counter, Property.REASON_STRING, reasonString);
        PropertyWriting.writeUserProperties(counter, userProperties);
        writer.writeVariableByteInteger(counter.size());
        PropertyWriting.writeString(writer, Property.REASON_STRING, reasonString);
        PropertyWriting.writeUserProperties(writer, userProperties);
    }

    private static void writeSubscribe(PacketWriter writer, Subscribe subscribe, boolean v5) {
        writer.writeTwoByteInteger(subscribe.packetId());
        if (v5) {
            PropertyWriting.block(writer, subscribe, (w, s) -> {
                if (s.subscriptionIdentifier() != 0) {
                    PropertyWriting.writeVariableByteInteger(w, Property.SUBSCRIPTION_IDENTIFIER,
                            s.subscriptionIdentifier());
                }
                PropertyWriting.writeUserProperties(w, s.userProperties());
            });
        }
        for (Subscribe.Subscription subscription : subscribe.subscriptions()) {
            writer.writeString(subscription.topicFilter());
            int options = subscription.qos();
            if (v5) {
                options |= (subscription.noLocal() ? 0x04 : 0) | (subscription.retainAsPublished() ? 0x08 : 0)
                        | (subscription.retainHandling() << 4);
            }
            writer.writeByte(options);
        }
    }

    private static void writeSuback(PacketWriter writer, Suback suback, boolean v5) {
        writer.writeTwoByteInteger(suback.packetId());
        if (v5) {
            writeReasonProperties(writer, suback.reasonString(), suback.userProperties());
        }
        for (int code : suback.reasonCodes()) {
            // MQTT 3.1.1 has one failure code for every MQTT 5 error (section 3.9.3).
            writer.writeByte(!v5 && ReasonCode.isError(code) ? ReasonCode.V3_SUBACK_FAILURE : code);
        }
    }

    private static void writeUnsubscribe(PacketWriter writer, Unsubscribe unsubscribe, boolean v5) {
        writer.writeTwoByteInteger(unsubscribe.packetId());
        if (v5) {
            PropertyWriting.block(writer, unsubscribe.userProperties(), PropertyWriting::writeUserProperties);
        }
        for (String filter : unsubscribe.topicFilters()) {
            writer.writeString(filter);
        }
    }

    private static void writeUnsuback(PacketWriter writer, Unsuback unsuback, boolean v5) {
        writer.writeTwoByteInteger(unsuback.packetId());
        if (!v5) {
            return;
        }
        writeReasonProperties(writer, unsuback.reasonString(), unsuback.userProperties());
        for (int code : unsuback.reasonCodes()) {
            writer.writeByte(code);
        }
    }

    private static void writeDisconnect(PacketWriter writer, Disconnect disconnect, boolean v5) {
        if (!v5) {
            return;
        }
        boolean hasProperties = disconnect.sessionExpiryInterval() != null || disconnect.reasonString() != null
                || !disconnect.userProperties().isEmpty() || disconnect.serverReference() != null;
        // Normal disconnection without properties is the empty packet (3.14.2.1).
        if (disconnect.reasonCode() == ReasonCode.NORMAL_DISCONNECTION && !hasProperties) {
            return;
        }
        writer.writeByte(disconnect.reasonCode());
        if (hasProperties) {
            PropertyWriting.block(writer, disconnect, (w, d) -> {
                PropertyWriting.writeFourByteInteger(w, Property.SESSION_EXPIRY_INTERVAL, d.sessionExpiryInterval());
                PropertyWriting.writeString(w, Property.REASON_STRING, d.reasonString());
                PropertyWriting.writeUserProperties(w, d.userProperties());
                PropertyWriting.writeString(w, Property.SERVER_REFERENCE, d.serverReference());
            });
        }
    }

    private static void writeAuth(PacketWriter writer, Auth auth, boolean v5) {
        if (!v5) {
            throw new IllegalArgumentException("AUTH does not exist in MQTT 3.1.1");
        }
        boolean hasProperties = auth.authenticationMethod() != null || auth.authenticationData() != null
                || auth.reasonString() != null || !auth.userProperties().isEmpty();
        if (auth.reasonCode() == ReasonCode.SUCCESS && !hasProperties) {
            return;
        }
        writer.writeByte(auth.reasonCode());
        PropertyWriting.block(writer, auth, (w, a) -> {
            PropertyWriting.writeString(w, Property.AUTHENTICATION_METHOD, a.authenticationMethod());
            PropertyWriting.writeBinary(w, Property.AUTHENTICATION_DATA, a.authenticationData());
            PropertyWriting.writeString(w, Property.REASON_STRING, a.reasonString());
            PropertyWriting.writeUserProperties(w, a.userProperties());
        });
    }
}
