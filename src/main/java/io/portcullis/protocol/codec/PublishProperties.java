package io.portcullis.protocol.codec;

import java.util.List;

/**
 * The MQTT 5 properties of a PUBLISH (and of a Will). {@code null} or 0 means absent as noted per
 * field; the record is shared between subscribers, so it is never mutated.
 *
 * @param payloadFormatIndicator  {@code null} when absent, else 0 (bytes) or 1 (UTF-8)
 * @param messageExpiryInterval   seconds; {@code null} when absent (the message does not expire)
 * @param topicAlias              0 when absent
 * @param responseTopic           {@code null} when absent
 * @param correlationData         {@code null} when absent
 * @param userProperties          in wire order
 * @param subscriptionIdentifiers only on broker-to-client PUBLISH, in the order they are sent
 * @param contentType             {@code null} when absent
 */
public record PublishProperties(
        Integer payloadFormatIndicator,
        Long messageExpiryInterval,
        int topicAlias,
        String responseTopic,
        byte[] correlationData,
        List<UserProperty> userProperties,
        List<Integer> subscriptionIdentifiers,
        String contentType) {

    public static final PublishProperties NONE =
            new PublishProperties(null, null, 0, null, null, List.of(), List.of(), null);

    public PublishProperties {
        userProperties = List.copyOf(userProperties);
        subscriptionIdentifiers = List.copyOf(subscriptionIdentifiers);
    }

    public PublishProperties withTopicAlias(int alias) {
        return new PublishProperties(payloadFormatIndicator, messageExpiryInterval, alias, responseTopic,
                correlationData, userProperties, subscriptionIdentifiers, contentType);
    }

    public PublishProperties withMessageExpiryInterval(Long seconds) {
        return new PublishProperties(payloadFormatIndicator, seconds, topicAlias, responseTopic,
                correlationData, userProperties, subscriptionIdentifiers, contentType);
    }

    public PublishProperties withSubscriptionIdentifiers(List<Integer> identifiers) {
        return new PublishProperties(payloadFormatIndicator, messageExpiryInterval, topicAlias, responseTopic,
                correlationData, userProperties, identifiers, contentType);
    }
}
