package io.portcullis.protocol.codec;

import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE. {@code subscriptionIdentifier} is 0 when absent. For MQTT 3.1.1 every option except
 * the QoS keeps its default.
 */
public record Subscribe(int packetId, List<Subscription> subscriptions, int subscriptionIdentifier,
                        List<UserProperty> userProperties) implements MqttPacket {

    public Subscribe {
        subscriptions = List.copyOf(subscriptions);
        userProperties = List.copyOf(userProperties);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }

    /** One topic filter with its subscription options (MQTT 5.0 section 3.8.3.1). */
    public record Subscription(String topicFilter, int qos, boolean noLocal, boolean retainAsPublished,
                               int retainHandling) {
        public Subscription {
            Objects.requireNonNull(topicFilter, "topicFilter");
        }
    }
}
