package io.portcullis.protocol;

import io.portcullis.authorization.AccessDecision;
import io.portcullis.config.MqttSettings;
import io.portcullis.logging.LogText;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.protocol.codec.Unsuback;
import io.portcullis.protocol.codec.Unsubscribe;
import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.Session;
import io.portcullis.topic.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connected client: per filter, validation, shared-subscription rules,
 * authorization of the inner filter (SPEC 3.5) and the per-session limits; a refused filter gets its own
 * SUBACK code while the others succeed. After SUBACK, retained messages follow per Retain Handling.
 * Filters beyond {@code maximumFiltersPerSubscribe} in one packet get 0x97 Quota exceeded. Confined to
 * the connection's event loop.
 */
final class SubscribeFlow {
    private final MqttConnectionHandler connection;
    private final BrokerContext broker;
    private final MqttSettings settings;

    SubscribeFlow(MqttConnectionHandler connection) {
        this.connection = connection;
        this.broker = connection.broker;
        this.settings = connection.settings;
    }

    /** The filter authorization and retained lookups apply to: the part after {@code $share/<group>/}. */
    static String innerFilter(String filter) {
        if (Topics.isShared(filter)) {
            Topics.SharedFilter shared = Topics.parseShared(filter);
            return shared == null ? filter : shared.filter();
        }
        return filter;
    }

    void onSubscribe(Subscribe subscribe) {
        MqttConnectionHandler c = connection;
        long mark = c.durabilityMark();
        List<Integer> reasonCodes = new ArrayList<>();
        List<RetainedRequest> retained = new ArrayList<>();
        int index = 0;
        for (Subscribe.Subscription requested : subscribe.subscriptions()) {
            index++;
            int code = index > settings.maximumFiltersPerSubscribe()
                    ? ReasonCode.QUOTA_EXCEEDED
                    : subscribeOne(requested, subscribe.subscriptionIdentifier(), retained);
            if (c.state != MqttConnectionHandler.State.CONNECTED) {
                return;
            }
            reasonCodes.add(code);
        }
        // SUBACK once the subscriptions are durable, then the retained messages behind it.
        Session session = c.session;
        c.afterDurable(mark, () -> {
            if (c.session == session) {
                acknowledge(subscribe, reasonCodes, retained, session);
            }
        });
    }

    private void acknowledge(Subscribe subscribe, List<Integer> reasonCodes, List<RetainedRequest> retained,
                             Session session) {
        MqttConnectionHandler c = connection;
        // SUBACK codes in request order [MQTT-3.8.4-6]; 3.1.1 failures become 0x80 in the encoder. It is flushed
        // only once the retained messages are queued behind it: a client that sees SUBACK may publish at once,
        // and its new message must not overtake them.
        c.write(new Suback(subscribe.packetId(), reasonCodes, null, List.of()));

        long now = broker.clock().millis();
        for (RetainedRequest request : retained) {
            List<Integer> identifiers = request.options.subscriptionIdentifier() == 0
                    ? List.of()
                    : List.of(request.options.subscriptionIdentifier());
            for (Message message : broker.retained().matching(request.filter, now)) {
                // Retained messages sent for a new subscription carry RETAIN 1 [MQTT-3.3.1-9 (5.0)].
                session.deliver(message, request.options.qos(), true, identifiers);
            }
        }
        c.flush();
    }

    private int subscribeOne(Subscribe.Subscription requested, int subscriptionIdentifier,
                             List<RetainedRequest> retained) {
        MqttConnectionHandler c = connection;
        String filter = requested.topicFilter();
        String inner = filter;
        boolean shared = Topics.isShared(filter);
        if (shared) {
            if (requested.noLocal()) {
                // No Local on a shared subscription is a protocol error [MQTT-3.8.3-4].
                c.protocolError("No Local set on shared subscription " + filter);
                return ReasonCode.PROTOCOL_ERROR;
            }
            Topics.SharedFilter parsed = Topics.parseShared(filter);
            if (parsed == null) {
                return ReasonCode.TOPIC_FILTER_INVALID;
            }
            if (!settings.sharedSubscriptionsEnabled()) {
                return ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
            }
            inner = parsed.filter();
        }
        if (Topics.validateFilter(inner, settings.maximumTopicLength(), settings.maximumTopicLevels()) != null) {
            return ReasonCode.TOPIC_FILTER_INVALID;
        }
        AccessDecision decision = c.permissions.checkSubscribe(inner);
        if (!decision.allowed()) {
            broker.protocolMetrics().subscriptionDenied();
            ConnectionLog.clientError(broker.clock().millis(), "Subscribe denied: filter=" + LogText.token(filter)
                    + " reason=\"" + LogText.safe(decision.reason()) + "\"", c.authName(), c.clientId, c.remote());
            return ReasonCode.NOT_AUTHORIZED;
        }
        Session session = c.session;
        boolean exists = session.hasSubscription(filter);
        if (!exists && session.subscriptionCount() >= settings.maximumSubscriptionsPerSession()) {
            return ReasonCode.QUOTA_EXCEEDED;
        }

        int qos = Math.min(requested.qos(), 2);
        SubscriptionOptions options = new SubscriptionOptions(qos, requested.noLocal(),
                requested.retainAsPublished(), requested.retainHandling(), subscriptionIdentifier);
        boolean isNew = session.subscribe(filter, options);
        // Retain Handling 0: always send, 1: only for a new subscription, 2: never [MQTT-3.3.1-9..11];
        // shared subscriptions get none (MQTT 5.0 section 4.8.2).
        int handling = requested.retainHandling();
        if (!shared && (handling == 0 || handling == 1 && isNew)) {
            retained.add(new RetainedRequest(inner, options));
        }
        return qos;
    }

    void onUnsubscribe(Unsubscribe unsubscribe) {
        long mark = connection.durabilityMark();
        Session session = connection.session;
        List<Integer> reasonCodes = new ArrayList<>();
        for (String filter : unsubscribe.topicFilters()) {
            boolean valid = !Topics.isShared(filter) || Topics.parseShared(filter) != null;
            if (!valid || Topics.validateFilter(innerFilter(filter), Integer.MAX_VALUE, Integer.MAX_VALUE) != null) {
                reasonCodes.add(ReasonCode.TOPIC_FILTER_INVALID);
            } else {
                reasonCodes.add(session.unsubscribe(filter) ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
            }
        }
        connection.afterDurable(mark, () -> {
            connection.write(new Unsuback(unsubscribe.packetId(), reasonCodes, null, List.of()));
            connection.flush();
        });
    }

    private record RetainedRequest(String filter, SubscriptionOptions options) {
    }
}
