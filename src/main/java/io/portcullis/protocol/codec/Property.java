package io.portcullis.protocol.codec;

import java.util.EnumSet;
import java.util.Set;

/**
 * The MQTT 5 properties (MQTT 5.0 section 2.2.2.2): identifier, value type and the packets that
 * may carry each. Both the decoder and the encoder use this table, so they agree on it.
 */
enum Property {
    PAYLOAD_FORMAT_INDICATOR(0x01, "Payload Format Indicator", ValueType.BYTE, Scope.PUBLISH, Scope.WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, "Message Expiry Interval", ValueType.FOUR_BYTE_INTEGER,
            Scope.PUBLISH, Scope.WILL),
    CONTENT_TYPE(0x03, "Content Type", ValueType.STRING, Scope.PUBLISH, Scope.WILL),
    RESPONSE_TOPIC(0x08, "Response Topic", ValueType.STRING, Scope.PUBLISH, Scope.WILL),
    CORRELATION_DATA(0x09, "Correlation Data", ValueType.BINARY, Scope.PUBLISH, Scope.WILL),
    SUBSCRIPTION_IDENTIFIER(0x0B, "Subscription Identifier", ValueType.VARIABLE_BYTE_INTEGER,
            Scope.PUBLISH, Scope.SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, "Session Expiry Interval", ValueType.FOUR_BYTE_INTEGER,
            Scope.CONNECT, Scope.CONNACK, Scope.DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, "Assigned Client Identifier", ValueType.STRING, Scope.CONNACK),
    SERVER_KEEP_ALIVE(0x13, "Server Keep Alive", ValueType.TWO_BYTE_INTEGER, Scope.CONNACK),
    AUTHENTICATION_METHOD(0x15, "Authentication Method", ValueType.STRING,
            Scope.CONNECT, Scope.CONNACK, Scope.AUTH),
    AUTHENTICATION_DATA(0x16, "Authentication Data", ValueType.BINARY, Scope.CONNECT, Scope.CONNACK, Scope.AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, "Request Problem Information", ValueType.BYTE, Scope.CONNECT),
    WILL_DELAY_INTERVAL(0x18, "Will Delay Interval", ValueType.FOUR_BYTE_INTEGER, Scope.WILL),
    REQUEST_RESPONSE_INFORMATION(0x19, "Request Response Information", ValueType.BYTE, Scope.CONNECT),
    RESPONSE_INFORMATION(0x1A, "Response Information", ValueType.STRING, Scope.CONNACK),
    SERVER_REFERENCE(0x1C, "Server Reference", ValueType.STRING, Scope.CONNACK, Scope.DISCONNECT),
    REASON_STRING(0x1F, "Reason String", ValueType.STRING, Scope.CONNACK, Scope.PUBACK, Scope.PUBREC,
            Scope.PUBREL, Scope.PUBCOMP, Scope.SUBACK, Scope.UNSUBACK, Scope.DISCONNECT, Scope.AUTH),
    RECEIVE_MAXIMUM(0x21, "Receive Maximum", ValueType.TWO_BYTE_INTEGER, Scope.CONNECT, Scope.CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, "Topic Alias Maximum", ValueType.TWO_BYTE_INTEGER, Scope.CONNECT, Scope.CONNACK),
    TOPIC_ALIAS(0x23, "Topic Alias", ValueType.TWO_BYTE_INTEGER, Scope.PUBLISH),
    MAXIMUM_QOS(0x24, "Maximum QoS", ValueType.BYTE, Scope.CONNACK),
    RETAIN_AVAILABLE(0x25, "Retain Available", ValueType.BYTE, Scope.CONNACK),
    USER_PROPERTY(0x26, "User Property", ValueType.STRING_PAIR, Scope.values()),
    MAXIMUM_PACKET_SIZE(0x27, "Maximum Packet Size", ValueType.FOUR_BYTE_INTEGER, Scope.CONNECT, Scope.CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, "Wildcard Subscription Available", ValueType.BYTE, Scope.CONNACK),
    SUBSCRIPTION_IDENTIFIERS_AVAILABLE(0x29, "Subscription Identifier Available", ValueType.BYTE, Scope.CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, "Shared Subscription Available", ValueType.BYTE, Scope.CONNACK);

    /** Where a property block sits: a packet's variable header, or the Will properties of a CONNECT. */
    enum Scope {
        CONNECT, CONNACK, PUBLISH, WILL, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE,
        UNSUBACK, DISCONNECT, AUTH
    }

    enum ValueType {
        BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, STRING, BINARY, STRING_PAIR
    }

    private static final Property[] BY_ID = new Property[0x2B];

    static {
        for (Property property : values()) {
            BY_ID[property.id] = property;
        }
    }

    private final int id;
    private final String label;
    private final ValueType valueType;
    private final Set<Scope> scopes;

    Property(int id, String label, ValueType valueType, Scope... scopes) {
        this.id = id;
        this.label = label;
        this.valueType = valueType;
        this.scopes = EnumSet.of(scopes[0], scopes);
    }

    int id() {
        return id;
    }

    String label() {
        return label;
    }

    ValueType valueType() {
        return valueType;
    }

    boolean isAllowedIn(Scope scope) {
        return scopes.contains(scope);
    }

    /**
     * Whether the property may appear more than once in one block: User Property anywhere, and
     * Subscription Identifier in a PUBLISH, which carries one per matching subscription (section 3.3.2.3.8).
     */
    boolean isRepeatableIn(Scope scope) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && scope == Scope.PUBLISH);
    }

    /** Returns the property with this identifier, or {@code null} for an identifier the standard does not define. */
    static Property ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
