package io.portcullis.protocol.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The MQTT 5 properties of one block as read from the wire, before they become fields of a packet
 * record. Reading enforces what the standard asks of every property block (section 2.2.2.2): a known
 * identifier allowed in that packet [0x81], at most one of each non-repeatable property [0x82], and
 * the value ranges each property's section sets. Confined to the decoding thread.
 */
final class DecodedProperties {
    static final DecodedProperties NONE = new DecodedProperties();

    private final Object[] values = new Object[0x2B];
    private final List<UserProperty> userProperties = new ArrayList<>();
    private final List<Integer> subscriptionIdentifiers = new ArrayList<>();

    private DecodedProperties() {
    }

    /** Reads a property block: its Variable Byte Integer length, then that many bytes of properties. */
    static DecodedProperties read(PacketReader reader, Property.Scope scope) throws MalformedPacketException {
        int length = reader.readVariableByteInteger("property length");
        if (length > reader.remaining()) {
            throw MalformedPacketException.malformed("property length runs past the end of the packet");
        }
        PacketReader block = reader.readSection(length, "properties");
        DecodedProperties properties = new DecodedProperties();
        while (block.isReadable()) {
            properties.readOne(block, scope);
        }
        return properties;
    }

    private void readOne(PacketReader block, Property.Scope scope) throws MalformedPacketException {
        int id = block.readVariableByteInteger("property identifier");
        Property property = Property.ofId(id);
        if (property == null) {
            throw MalformedPacketException.malformed("unknown property identifier " + id);
        }
        if (!property.isAllowedIn(scope)) {
            throw MalformedPacketException.malformed(
                    property.label() + " property is not allowed in " + describe(scope));
        }
        if (!property.isRepeatableIn(scope) && values[id] != null) {
            throw MalformedPacketException.protocolError(
                    property.label() + " property appears more than once in " + describe(scope));
        }

        String field = property.label() + " property";
        Object value = switch (property.valueType()) {
            case BYTE -> block.readUnsignedByte(field);
            case TWO_BYTE_INTEGER -> block.readUnsignedShort(field);
            case FOUR_BYTE_INTEGER -> block.readUnsignedInt(field);
            case VARIABLE_BYTE_INTEGER -> block.readVariableByteInteger(field);
            case STRING -> block.readString(field);
            case BINARY -> block.readBinary(field);
            case STRING_PAIR -> new UserProperty(block.readString("User Property name"),
                    block.readString("User Property value"));
        };
        checkValue(property, value);

        values[id] = value;
        if (property == Property.USER_PROPERTY) {
            userProperties.add((UserProperty) value);
        } else if (property == Property.SUBSCRIPTION_IDENTIFIER) {
            subscriptionIdentifiers.add((Integer) value);
        }
    }

    private static void checkValue(Property property, Object value) throws MalformedPacketException {
        switch (property) {
            // Each of these sections says a value other than 0 or 1 is a Protocol Error; the Payload Format
            // Indicator names no code, and the same one fits it (sections 3.1.2.11.6, 3.1.2.11.7, 3.2.2.3.4,
            // 3.2.2.3.5, 3.2.2.3.11-13, 3.3.2.3.2).
            case PAYLOAD_FORMAT_INDICATOR, REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION,
                    MAXIMUM_QOS, RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE,
                    SUBSCRIPTION_IDENTIFIERS_AVAILABLE, SHARED_SUBSCRIPTION_AVAILABLE -> {
                if ((Integer) value > 1) {
                    throw MalformedPacketException.protocolError(property.label() + " must be 0 or 1");
                }
            }
            // Sections 3.1.2.11.3 and 3.2.2.3.3: the value 0 is a Protocol Error.
            case RECEIVE_MAXIMUM -> requireNonZero(property, (Integer) value);
            // Sections 3.1.2.11.4 and 3.2.2.3.6.
            case MAXIMUM_PACKET_SIZE -> {
                if ((Long) value == 0) {
                    throw MalformedPacketException.protocolError("Maximum Packet Size must not be 0");
                }
            }
            // Sections 3.3.2.3.8 and 3.8.2.1.2. Values above 268,435,455 cannot be written in a four-byte
            // Variable Byte Integer, so reading has already refused them.
            case SUBSCRIPTION_IDENTIFIER -> requireNonZero(property, (Integer) value);
            // A Topic Alias of 0 is not permitted [MQTT-3.3.2-8]; 0x94 Topic Alias invalid is the code the
            // standard gives for a Topic Alias the receiver does not accept.
            case TOPIC_ALIAS -> {
                if ((Integer) value == 0) {
                    throw new MalformedPacketException(ReasonCode.TOPIC_ALIAS_INVALID,
                            "Topic Alias must not be 0", null);
                }
            }
            // The Response Topic is a Topic Name, and wildcards make a Topic Name malformed [MQTT-3.3.2-14].
            case RESPONSE_TOPIC -> {
                if (PublishDecoding.containsWildcard((String) value)) {
                    throw MalformedPacketException.malformed("Response Topic contains a wildcard character");
                }
            }
            default -> {
            }
        }
    }

    private static void requireNonZero(Property property, int value) throws MalformedPacketException {
        if (value == 0) {
            throw MalformedPacketException.protocolError(property.label() + " must not be 0");
        }
    }

    private static String describe(Property.Scope scope) {
        return scope == Property.Scope.WILL ? "the Will properties" : scope.name();
    }

    boolean has(Property property) {
        return values[property.id()] != null;
    }

    Integer integer(Property property) {
        return (Integer) values[property.id()];
    }

    Long fourByteInteger(Property property) {
        return (Long) values[property.id()];
    }

    String string(Property property) {
        return (String) values[property.id()];
    }

    byte[] binary(Property property) {
        return (byte[]) values[property.id()];
    }

    Boolean flag(Property property) {
        Integer value = integer(property);
        return value == null ? null : value == 1;
    }

    /** In wire order, duplicates kept. */
    List<UserProperty> userProperties() {
        return userProperties;
    }

    /** In wire order. */
    List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    PublishProperties toPublishProperties() {
        Integer topicAlias = integer(Property.TOPIC_ALIAS);
        return new PublishProperties(integer(Property.PAYLOAD_FORMAT_INDICATOR),
                fourByteInteger(Property.MESSAGE_EXPIRY_INTERVAL), topicAlias == null ? 0 : topicAlias,
                string(Property.RESPONSE_TOPIC), binary(Property.CORRELATION_DATA), userProperties,
                subscriptionIdentifiers, string(Property.CONTENT_TYPE));
    }
}
