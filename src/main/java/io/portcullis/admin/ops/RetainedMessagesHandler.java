package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.UserProperty;
import io.portcullis.routing.Message;
import io.portcullis.routing.RetainedStore;
import io.portcullis.topic.Topics;

import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/v1/retainedMessages}: lists retained messages by topic filter (sorted by topic, paged), reads one
 * with its payload and properties, and deletes one the way a retained PUBLISH with an empty payload does, so a
 * durable store forgets it too. The topic of a single message is one path segment.
 *
 * <p>Threads: the admin server's worker threads; {@link RetainedStore} reads are lock-free and a delete locks
 * only its topic's node. A list walks every matching message and sorts them, proportional to their number, on
 * every page: meant for operators, not for polling.
 */
final class RetainedMessagesHandler extends ReadAndDeleteCollection {
    static final String COLLECTION = "retainedMessages";
    private static final String PATH = "/api/v1/" + COLLECTION;

    private final RetainedStore retained;
    private final Clock clock;

    RetainedMessagesHandler(RetainedStore retained, Clock clock) {
        super(PATH, "topic");
        this.retained = Objects.requireNonNull(retained, "retained");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    ApiResponse get(String topic) {
        return ApiResponse.json(200, single(topic));
    }

    @Override
    ApiResponse delete(String topic, ApiRequest request) {
        return delete(topic);
    }

    @Override
    ApiResponse list(ApiRequest request) {
        String filter = request.parameter("topicFilter").orElse("#");
        String problem = Topics.isShared(filter) ? "a shared subscription filter selects no retained messages"
                : Topics.validateFilter(filter, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (problem != null) {
            throw ApiException.invalidParameter("topicFilter", problem);
        }
        long now = clock.millis();
        List<Message> matching = retained.matching(filter, now).stream()
                .sorted(Comparator.comparing(Message::topic))
                .toList();
        Paging<Message> page = Paging.of(matching, Message::topic, request, PATH, Map.of("topicFilter", filter),
                RetainedMessagesHandler::isTopic);

        ArrayNode value = JsonNodeFactory.instance.arrayNode();
        for (Message message : page.items()) {
            value.add(summary(message, now));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("value", value);
        if (page.nextLink() != null) {
            body.put("nextLink", page.nextLink());
        }
        return ApiResponse.json(200, body);
    }

    /** Whether a retained message could have this topic: a valid topic name, which has no wildcards. */
    static boolean isTopic(String topic) {
        return Topics.validateName(topic, Paging.MAXIMUM_KEY_BYTES, Integer.MAX_VALUE) == null;
    }

    private ObjectNode single(String topic) {
        long now = clock.millis();
        Message message = find(topic, now);
        PublishProperties properties = message.properties();
        ObjectNode node = summary(message, now);
        node.put("payload", Base64.getEncoder().encodeToString(message.payload()));
        node.put("responseTopic", properties.responseTopic());
        node.put("correlationData", properties.correlationData() == null ? null
                : Base64.getEncoder().encodeToString(properties.correlationData()));
        ArrayNode userProperties = node.putArray("userProperties");
        for (UserProperty property : properties.userProperties()) {
            userProperties.addObject().put("name", property.name()).put("value", property.value());
        }
        return node;
    }

    private ApiResponse delete(String topic) {
        if (Topics.validateName(topic, Integer.MAX_VALUE, Integer.MAX_VALUE) != null || !retained.remove(topic)) {
            throw notFound(topic);
        }
        return ApiResponse.noContent();
    }

    private Message find(String topic, long now) {
        // A topic name has no wildcards, so as a filter it matches exactly that topic.
        if (Topics.validateName(topic, Integer.MAX_VALUE, Integer.MAX_VALUE) != null) {
            throw notFound(topic);
        }
        List<Message> found = retained.matching(topic, now);
        if (found.isEmpty()) {
            throw notFound(topic);
        }
        return found.get(0);
    }

    private static ApiException notFound(String topic) {
        return ApiException.notFound("Retained message of topic '" + topic + "'");
    }

    /**
     * The list fields. {@code messageExpiryIntervalSeconds} is what a subscriber would receive now: the interval
     * the publisher set less the time the message has been retained [MQTT-3.3.2-6].
     */
    private static ObjectNode summary(Message message, long now) {
        PublishProperties properties = message.properties();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("topic", message.topic());
        node.put("qos", message.qos());
        node.put("payloadSize", message.payload().length);
        node.put("payloadFormatIndicator", properties.payloadFormatIndicator());
        node.put("contentType", properties.contentType());
        node.put("messageExpiryIntervalSeconds", message.remainingExpirySeconds(now));
        return node;
    }
}
