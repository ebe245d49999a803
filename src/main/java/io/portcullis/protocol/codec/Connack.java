package io.portcullis.protocol.codec;

import java.util.List;

/**
 * CONNACK. For MQTT 3.1.1 {@code reasonCode} is the return code (0–5) and the properties are not
 * sent. Boxed MQTT 5 properties are {@code null} when absent.
 */
public record Connack(
        boolean sessionPresent,
        int reasonCode,
        Long sessionExpiryInterval,
        Integer receiveMaximum,
        Integer maximumQos,
        Boolean retainAvailable,
        Long maximumPacketSize,
        String assignedClientIdentifier,
        Integer topicAliasMaximum,
        String reasonString,
        List<UserProperty> userProperties,
        Boolean wildcardSubscriptionAvailable,
        Boolean subscriptionIdentifiersAvailable,
        Boolean sharedSubscriptionAvailable,
        Integer serverKeepAlive,
        String responseInformation,
        String serverReference,
        String authenticationMethod,
        byte[] authenticationData) implements MqttPacket {

    public Connack {
        userProperties = List.copyOf(userProperties);
    }

    /** A CONNACK that carries only a reason code (refusals, and 3.1.1 answers). */
    public static Connack of(boolean sessionPresent, int reasonCode, String reasonString) {
        return new Connack(sessionPresent, reasonCode, null, null, null, null, null, null, null, reasonString,
                List.of(), null, null, null, null, null, null, null, null);
    }

    @Override
    public PacketType type() {
        return PacketType.CONNACK;
    }
}
