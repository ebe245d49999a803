package io.portcullis.protocol;

import io.portcullis.authorization.AccessDecision;
import io.portcullis.config.MqttSettings;
import io.portcullis.logging.LogText;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.routing.Message;
import io.portcullis.routing.RetainResult;
import io.portcullis.session.PublisherThrottle;
import io.portcullis.session.Session;
import io.portcullis.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inbound PUBLISH and PUBREL of one connected client: Topic Alias resolution, topic limits,
 * authorization with the denial table of SPEC 3.5, retained messages, routing, and the QoS 1 and 2
 * acknowledgements. QoS 2 uses delivery on receipt (MQTT 5.0 section 4.3.3, method B): the message is
 * routed at the first PUBLISH and its packet id held until PUBREL, so a re-sent PUBLISH is not routed
 * again. Confined to the connection's event loop.
 *
 * <p>A retained PUBLISH that the retained store refuses (size or count limit) is answered 0x97 Quota
 * exceeded at QoS 1 and 2 in MQTT 5 and not routed, so the negative acknowledgement is true; at QoS 0 and
 * in MQTT 3.1.1, which has no negative acknowledgement, it is routed without being retained and logged.
 */
final class PublishFlow {
    private static final Logger LOG = LoggerFactory.getLogger(PublishFlow.class);

    private final MqttConnectionHandler connection;
    private final BrokerContext broker;
    private final MqttSettings settings;
    /** Client-to-broker Topic Alias mappings; they last as long as the connection [MQTT-3.3.2-7]. */
    private final Map<Integer, String> topicAliases = new HashMap<>();

    PublishFlow(MqttConnectionHandler connection) {
        this.connection = connection;
        this.broker = connection.broker;
        this.settings = connection.settings;
    }

    void onPublish(Publish publish) {
        MqttConnectionHandler c = connection;
        Session session = c.session;
        broker.protocolMetrics().publishReceived();
        String topic = resolveTopic(publish);
        if (topic == null) {
            return;
        }
        int qos = publish.qos();
        int packetId = publish.packetId();
        if (qos == 2 && !session.hasInboundQos2(packetId) && session.inboundQos2Count() >= settings.receiveMaximum()) {
            // More unacknowledged QoS 2 PUBLISH than the Receive Maximum we advertised: 0x93 (MQTT 5.0 section 3.3.4).
            // QoS 1 is acknowledged at once, so only QoS 2 awaiting PUBREL can pile up.
            c.close(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more than " + settings.receiveMaximum()
                    + " QoS 2 messages awaiting PUBREL", true);
            return;
        }
        String problem = Topics.validateName(topic, settings.maximumTopicLength(), settings.maximumTopicLevels());
        if (problem != null) {
            c.close(ReasonCode.TOPIC_NAME_INVALID, problem, true);
            return;
        }
        AccessDecision decision = c.permissions.checkPublish(topic);
        if (!decision.allowed()) {
            deny(publish, topic, decision);
            return;
        }
        if (qos == 2 && session.hasInboundQos2(packetId)) {
            // A re-sent QoS 2 PUBLISH already routed: acknowledge again, route nothing (section 4.3.3, method B).
            c.afterDurable(c.durabilityMark(), () -> {
                c.write(new Pubrec(packetId, ReasonCode.SUCCESS));
                c.flush();
            });
            return;
        }

        // Retained and queued copies are submitted to the durable store from here on; the acknowledgement
        // waits until they are durable.
        long mark = c.durabilityMark();
        PublishProperties properties = publish.properties().withTopicAlias(0)
                .withSubscriptionIdentifiers(List.of());
        Message message = new Message(topic, qos, publish.retain(), publish.payload(), properties, c.clientId,
                broker.clock().millis());
        if (publish.retain()) {
            RetainResult retained = broker.retained().retain(message);
            if (retained.isRefused()) {
                ConnectionLog.clientError(broker.clock().millis(), "Retained message refused: topic="
                        + LogText.token(topic) + " reason=\"" + LogText.safe(retained.reason()) + "\"", c.authName(),
                        c.clientId, c.remote());
                if (qos > 0 && c.version.isV5()) {
                    String reason = retained.reason();
                    c.afterDurable(mark, () -> acknowledge(qos, packetId, ReasonCode.QUOTA_EXCEEDED, reason));
                    return;
                }
            }
        }
        int deliveries = PublisherThrottle.routeAs(c, () -> broker.subscriptions().route(message));
        if (qos > 0) {
            if (qos == 2) {
                session.beginInboundQos2(packetId);
            }
            int code = deliveries == 0 ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
            // PUBACK / PUBREC only once the message is durable for every persistent session that queued it,
            // and in the retained store.
            c.afterDurable(mark, () -> acknowledge(qos, packetId, code, null));
        }
    }

    /** Resolves a Topic Alias (MQTT 5.0 section 3.3.2.3.4); returns {@code null} after closing on an error. */
    private String resolveTopic(Publish publish) {
        String topic = publish.topic();
        int alias = publish.properties().topicAlias();
        if (alias == 0) {
            if (topic.isEmpty()) {
                connection.protocolError("empty topic name without a Topic Alias");
                return null;
            }
            return topic;
        }
        if (alias > settings.topicAliasMaximum()) {
            // Above the Topic Alias Maximum we sent [MQTT-3.3.2-9]: 0x94 Topic Alias invalid.
            connection.close(ReasonCode.TOPIC_ALIAS_INVALID, "Topic Alias " + alias + " is above the maximum of "
                    + settings.topicAliasMaximum(), true);
            return null;
        }
        if (topic.isEmpty()) {
            String known = topicAliases.get(alias);
            if (known == null) {
                connection.protocolError("Topic Alias " + alias + " has no topic set on this connection");
            }
            return known;
        }
        topicAliases.put(alias, topic);
        return topic;
    }

    private void deny(Publish publish, String topic, AccessDecision decision) {
        MqttConnectionHandler c = connection;
        broker.protocolMetrics().publishDenied(publish.qos());
        ConnectionLog.clientError(broker.clock().millis(), "Publish denied: topic=" + LogText.token(topic)
                + " qos=" + publish.qos() + " reason=\"" + LogText.safe(decision.reason()) + "\"", c.authName(),
                c.clientId, c.remote());
        if (!c.version.isV5()) {
            // MQTT 3.1.1 has no negative acknowledgement: close (SPEC 3.5).
            c.close(ReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic, true);
            return;
        }
        if (publish.qos() > 0) {
            c.afterDurable(c.durabilityMark(), () -> acknowledge(publish.qos(), publish.packetId(),
                    ReasonCode.NOT_AUTHORIZED, "not authorized to publish to topic " + topic));
        }
    }

    private void acknowledge(int qos, int packetId, int reasonCode, String reasonString) {
        // A Reason String only when the client asked for problem information [MQTT-3.1.2-29].
        String reason = connection.requestsProblemInformation() ? reasonString : null;
        if (qos == 1) {
            connection.write(new Puback(packetId, reasonCode, reason, List.of()));
        } else {
            connection.write(new Pubrec(packetId, reasonCode, reason, List.of()));
        }
        connection.flush();
    }

    void onPubrel(Pubrel pubrel) {
        // PUBCOMP ends the exchange [MQTT-4.3.3-11 (5.0)]; an unknown id gets 0x92 in MQTT 5. It waits until
        // the packet id's removal is durable, or a restart could take the id's next use for a re-send.
        long mark = connection.durabilityMark();
        boolean known = connection.session.completeInboundQos2(pubrel.packetId());
        if (!known) {
            LOG.debug("PUBREL for unknown packet id: clientId={} packetId={}", LogText.token(connection.clientId),
                    pubrel.packetId());
        }
        connection.afterDurable(mark, () -> {
            connection.write(new Pubcomp(pubrel.packetId(),
                    known ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
            connection.flush();
        });
    }
}
