package io.portcullis.conformance;

import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Unsuback;
import io.portcullis.protocol.codec.Unsubscribe;
import io.portcullis.routing.Message;
import io.portcullis.routing.RetainedStore;
import io.portcullis.routing.SubscriptionTree;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static io.portcullis.conformance.Packets.subscription;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SUBSCRIBE and UNSUBSCRIBE (sections 3.8 to 3.11) and topic matching (4.7) in both versions, with the
 * broker's denial table for reserved {@code $} topics (SPEC 3.5).
 */
public abstract class SubscribeBehaviour extends VersionedBehaviour {

    /** The SUBACK code for a refused filter: 0x87 in MQTT 5, 0x80 in 3.1.1. */
    protected abstract int refusedSubackCode();

    private Message brokerMessage(String topic, boolean retain) {
        return new Message(topic, 1, retain, "from the broker".getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE, "", System.currentTimeMillis());
    }

    private SubscriptionTree subscriptions() {
        return broker().running().broker().context().subscriptions();
    }

    private RetainedStore retainedStore() {
        return broker().running().broker().context().retained();
    }

    /**
     * Filters starting with a wildcard do not match topics starting with {@code $} [MQTT-4.7.2-1]. Clients
     * cannot publish there, so the test routes broker-made {@code $SYS} messages directly, as the broker
     * would for its own topics; a topic without {@code $} shows the subscriptions are live.
     */
    @Test
    void doesNotMatchDollarTopicsWithLeadingWildcards() throws Exception {
        try (RawMqttClient all = subscriber("#", 1); RawMqttClient plusFirst = subscriber("+/uptime", 1)) {
            assertThat(subscriptions().route(brokerMessage("$SYS/uptime", false))).isZero();
            all.expectNothing(QUIET);
            plusFirst.expectNothing(QUIET);

            assertThat(subscriptions().route(brokerMessage("sys/uptime", false))).isEqualTo(2);
            expectPublish(all, "sys/uptime", "from the broker");
            expectPublish(plusFirst, "sys/uptime", "from the broker");
        }
    }

    /** A retained {@code $} message is not sent for a {@code #} subscription either [MQTT-4.7.2-1]. */
    @Test
    void doesNotSendRetainedDollarTopicsToLeadingWildcards() throws Exception {
        assertThat(retainedStore().retain(brokerMessage("$SYS/version", true)).isRefused()).isFalse();
        try (RawMqttClient all = subscriber("#", 1)) {
            all.expectNothing(QUIET);
        }
    }

    /**
     * Subscribing to a reserved {@code $} filter is refused for that filter alone; the others in the same
     * SUBSCRIBE are granted, and the codes follow the request order [MQTT-3.8.4-6 (5.0), MQTT-3.9.3-1 (3.1.1)].
     */
    @Test
    void refusesDollarFiltersOneByOne() throws Exception {
        try (RawMqttClient client = connect(unique("dollar-sub"))) {
            client.send(Packets.subscribe(3, 0, subscription("ok/" + unique("a"), 1), subscription("$SYS/#", 1),
                    subscription("ok/" + unique("b"), 2)));

            Suback suback = client.expectPacket(Suback.class, WAIT);
            assertThat(suback.packetId()).isEqualTo(3);
            assertThat(suback.reasonCodes()).containsExactly(1, refusedSubackCode(), 2);
        }
    }

    /** UNSUBSCRIBE is acknowledged with UNSUBACK and stops delivery [MQTT-3.10.4-1, -4 (3.1.1; 5.0 alike)]. */
    @Test
    void stopsDeliveryAfterUnsubscribe() throws Exception {
        String topic = unique("unsubscribe");
        try (RawMqttClient client = subscriber(topic, 1); RawMqttClient publisher = connect(unique("pub"))) {
            client.send(new Unsubscribe(4, List.of(topic), List.of()));
            assertThat(client.expectPacket(Unsuback.class, WAIT).packetId()).isEqualTo(4);

            publishQos1(publisher, topic, 1, "too late");
            client.expectNothing(QUIET);
        }
    }

    /** A second SUBSCRIBE to the same filter replaces the first: one copy, at the new QoS [MQTT-3.8.4-3]. */
    @Test
    void replacesAnExistingSubscription() throws Exception {
        String topic = unique("replace");
        try (RawMqttClient client = subscriber(topic, 2); RawMqttClient publisher = connect(unique("pub"))) {
            client.send(Packets.subscribe(2, topic, 0));
            assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(0);

            publishQos1(publisher, topic, 1, "once");
            assertThat(expectPublish(client, topic, "once").qos()).isZero();
            client.expectNothing(QUIET);
        }
    }
}
