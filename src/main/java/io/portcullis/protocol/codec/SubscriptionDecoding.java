package io.portcullis.protocol.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bodies of SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK for MQTT 3.1.1 and 5.0. Topic
 * filter syntax ({@code +} and {@code #} placement) is left to the protocol handler, which can refuse one
 * filter with a SUBACK code instead of closing the connection. Called by {@link MqttPacketDecoder} on
 * the connection's event loop; stateless.
 */
final class SubscriptionDecoding {
    private static final String SHARE_PREFIX = "$share/";

    /** SUBACK Reason Codes, MQTT 5.0 section 3.9.3. */
    private static final ReasonCodeSet SUBACK_CODES =
            ReasonCodeSet.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2);
    /** MQTT 3.1.1 SUBACK return codes, section 3.9.3. */
    private static final ReasonCodeSet V3_SUBACK_CODES = ReasonCodeSet.of(0x00, 0x01, 0x02, 0x80);
    /** UNSUBACK Reason Codes, MQTT 5.0 section 3.11.3. */
    private static final ReasonCodeSet UNSUBACK_CODES = ReasonCodeSet.of(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91);

    private SubscriptionDecoding() {
    }

    static Subscribe decodeSubscribe(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int packetId = PublishDecoding.readPacketId(reader, PacketType.SUBSCRIBE);
        DecodedProperties properties = version.isV5()
                ? DecodedProperties.read(reader, Property.Scope.SUBSCRIBE)
                : DecodedProperties.NONE;

        List<Subscribe.Subscription> subscriptions = new ArrayList<>();
        while (reader.isReadable()) {
            String filter = reader.readString("topic filter");
            int options = reader.readUnsignedByte("subscription options");
            subscriptions.add(version.isV5() ? subscriptionV5(filter, options) : subscriptionV3(filter, options));
        }
        // [MQTT-3.8.3-2] (5.0), [MQTT-3.8.3-3] (3.1.1): at least one filter.
        if (subscriptions.isEmpty()) {
            throw MalformedPacketException.protocolError("SUBSCRIBE has no topic filter");
        }

        Integer subscriptionId = properties.integer(Property.SUBSCRIPTION_IDENTIFIER);
        return new Subscribe(packetId, subscriptions, subscriptionId == null ? 0 : subscriptionId,
                properties.userProperties());
    }

    private static Subscribe.Subscription subscriptionV3(String filter, int options) throws MalformedPacketException {
        // The upper six bits are reserved and QoS 3 is not a QoS: both are malformed [MQTT-3.8.3-4].
        if ((options & 0xFC) != 0) {
            throw MalformedPacketException.malformed("reserved bits of the requested QoS byte are set");
        }
        if (options == 3) {
            throw MalformedPacketException.malformed("requested QoS is 3");
        }
        return new Subscribe.Subscription(filter, options, false, false, 0);
    }

    private static Subscribe.Subscription subscriptionV5(String filter, int options) throws MalformedPacketException {
        // Reserved bits set make the packet malformed [MQTT-3.8.3-5]; QoS 3 and Retain Handling 3 are Protocol
        // Errors (3.8.3.1).
        if ((options & 0xC0) != 0) {
            throw MalformedPacketException.malformed("reserved bits of the subscription options are set");
        }
        int qos = options & 0x03;
        if (qos == 3) {
            throw MalformedPacketException.protocolError("subscription Maximum QoS is 3");
        }
        int retainHandling = (options >>> 4) & 0x03;
        if (retainHandling == 3) {
            throw MalformedPacketException.protocolError("subscription Retain Handling is 3");
        }
        boolean noLocal = (options & 0x04) != 0;
        // No Local on a Shared Subscription is a Protocol Error [MQTT-3.8.3-4].
        if (noLocal && filter.startsWith(SHARE_PREFIX)) {
            throw MalformedPacketException.protocolError("No Local is set on a shared subscription");
        }
        return new Subscribe.Subscription(filter, qos, noLocal, (options & 0x08) != 0, retainHandling);
    }

    static Suback decodeSuback(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int packetId = PublishDecoding.readPacketId(reader, PacketType.SUBACK);
        DecodedProperties properties = version.isV5()
                ? DecodedProperties.read(reader, Property.Scope.SUBACK)
                : DecodedProperties.NONE;
        List<Integer> codes = readReasonCodes(reader, version.isV5() ? SUBACK_CODES : V3_SUBACK_CODES,
                PacketType.SUBACK);
        return new Suback(packetId, codes, properties.string(Property.REASON_STRING), properties.userProperties());
    }

    static Unsubscribe decodeUnsubscribe(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int packetId = PublishDecoding.readPacketId(reader, PacketType.UNSUBSCRIBE);
        DecodedProperties properties = version.isV5()
                ? DecodedProperties.read(reader, Property.Scope.UNSUBSCRIBE)
                : DecodedProperties.NONE;

        List<String> filters = new ArrayList<>();
        while (reader.isReadable()) {
            filters.add(reader.readString("topic filter"));
        }
        // [MQTT-3.10.3-2]: at least one filter.
        if (filters.isEmpty()) {
            throw MalformedPacketException.protocolError("UNSUBSCRIBE has no topic filter");
        }
        return new Unsubscribe(packetId, filters, properties.userProperties());
    }

    static Unsuback decodeUnsuback(PacketReader reader, MqttVersion version) throws MalformedPacketException {
        int packetId = PublishDecoding.readPacketId(reader, PacketType.UNSUBACK);
        // An MQTT 3.1.1 UNSUBACK is the packet id alone; leftover bytes are caught by the caller.
        if (!version.isV5()) {
            return new Unsuback(packetId, List.of(), null, List.of());
        }
        DecodedProperties properties = DecodedProperties.read(reader, Property.Scope.UNSUBACK);
        List<Integer> codes = readReasonCodes(reader, UNSUBACK_CODES, PacketType.UNSUBACK);
        return new Unsuback(packetId, codes, properties.string(Property.REASON_STRING), properties.userProperties());
    }

    private static List<Integer> readReasonCodes(PacketReader reader, ReasonCodeSet allowed, PacketType type)
            throws MalformedPacketException {
        List<Integer> codes = new ArrayList<>(reader.remaining());
        while (reader.isReadable()) {
            int code = reader.readUnsignedByte("reason code");
            if (!allowed.contains(code)) {
                throw MalformedPacketException.protocolError(type + " reason code " + code + " is not defined");
            }
            codes.add(code);
        }
        if (codes.isEmpty()) {
            throw MalformedPacketException.protocolError(type + " has no reason code");
        }
        return codes;
    }
}
