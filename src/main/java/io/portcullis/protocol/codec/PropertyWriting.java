package io.portcullis.protocol.codec;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes MQTT 5 property blocks: each property only when present, and the block behind its Variable
 * Byte Integer length. Stateless; used by {@link PacketBodyEncoding}.
 */
final class PropertyWriting {

    private PropertyWriting() {
    }

    /** Writes the length of the properties {@code content} writes, then the properties. */
    static <T> void block(PacketWriter writer, T packet, BiConsumer<PacketWriter, T> content) {
        PacketWriter counter = PacketWriter.counting();
        content.accept(counter, packet);
        writer.writeVariableByteInteger(counter.size());
        content.accept(writer, packet);
    }

    static void writeByte(PacketWriter writer, Property property, Integer value) {
        if (value != null) {
            writer.writeVariableByteInteger(property.id());
            writer.writeByte(value);
        }
    }

    static void writeFlag(PacketWriter writer, Property property, Boolean value) {
        if (value != null) {
            writeByte(writer, property, value ? 1 : 0);
        }
    }

    static void writeTwoByteInteger(PacketWriter writer, Property property, Integer value) {
        if (value != null) {
            writer.writeVariableByteInteger(property.id());
            writer.writeTwoByteInteger(value);
        }
    }

    static void writeFourByteInteger(PacketWriter writer, Property property, Long value) {
        if (value != null) {
            writer.writeVariableByteInteger(property.id());
            writer.writeFourByteInteger(value);
        }
    }

    static void writeVariableByteInteger(PacketWriter writer, Property property, int value) {
        writer.writeVariableByteInteger(property.id());
        writer.writeVariableByteInteger(value);
    }

    static void writeString(PacketWriter writer, Property property, String value) {
        if (value != null) {
            writer.writeVariableByteInteger(property.id());
            writer.writeString(value);
        }
    }

    static void writeBinary(PacketWriter writer, Property property, byte[] value) {
        if (value != null) {
            writer.writeVariableByteInteger(property.id());
            writer.writeBinary(value);
        }
    }

    /** In list order, duplicates kept. */
    static void writeUserProperties(PacketWriter writer, List<UserProperty> userProperties) {
        for (UserProperty userProperty : userProperties) {
            writer.writeVariableByteInteger(Property.USER_PROPERTY.id());
            writer.writeString(userProperty.name());
            writer.writeString(userProperty.value());
        }
    }

    /** The properties a PUBLISH and a Will share. */
    static void writePublishProperties(PacketWriter writer, PublishProperties properties) {
        writeByte(writer, Property.PAYLOAD_FORMAT_INDICATOR, properties.payloadFormatIndicator());
        writeFourByteInteger(writer, Property.MESSAGE_EXPIRY_INTERVAL, properties.messageExpiryInterval());
        writeString(writer, Property.CONTENT_TYPE, properties.contentType());
        writeString(writer, Property.RESPONSE_TOPIC, properties.responseTopic());
        writeBinary(writer, Property.CORRELATION_DATA, properties.correlationData());
        writeUserProperties(writer, properties.userProperties());
    }
}
