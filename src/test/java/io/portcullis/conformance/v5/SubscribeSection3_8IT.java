package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.SubscribeBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 sections 3.8 to 3.11: subscription identifiers, No Local and the denial of reserved topics;
 * the tests both versions share are in {@link SubscribeBehaviour}.
 */
class SubscribeSection3_8IT extends SubscribeBehaviour {
    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    protected MqttVersion version() {
        return MqttVersion.V5;
    }

    @Override
    protected ConformanceBroker broker() {
        return broker;
    }

    @Override
    protected int refusedSubackCode() {
        return ReasonCode.NOT_AUTHORIZED;
    }

    private static Subscribe.Subscription noLocal(String filter) {
        return new Subscribe.Subscription(filter, 1, true, false, 0);
    }

    /**
     * A delivery carries the Subscription Identifier of each matching subscription [MQTT-3.3.4-3]; with two
     * overlapping ones, both identifiers arrive, in one PUBLISH or in one each [MQTT-3.3.4-4, -5].
     */
    @Test
    void returnsSubscriptionIdentifiers() throws Exception {
        String root = unique("subid");
        try (RawMqttClient client = connect(unique("ids")); RawMqttClient publisher = connect(unique("pub"))) {
            client.send(Packets.subscribe(1, 5, Packets.subscription(root + "/#", 1)));
            client.expectPacket(Suback.class, WAIT);
            client.send(Packets.subscribe(2, 9, Packets.subscription(root + "/x", 1)));
            client.expectPacket(Suback.class, WAIT);
            client.send(Packets.subscribe(3, 0, Packets.subscription(root + "/y", 1)));
            client.expectPacket(Suback.class, WAIT);

            publishQos1(publisher, root + "/x", 1, "both");
            Set<Integer> identifiers = new HashSet<>();
            Publish first = expectPublish(client, root + "/x", "both");
            identifiers.addAll(first.properties().subscriptionIdentifiers());
            if (identifiers.size() < 2) {
                identifiers.addAll(expectPublish(client, root + "/x", "both").properties().subscriptionIdentifiers());
            }
            assertThat(identifiers).containsExactlyInAnyOrder(5, 9);

            // root/y matches root/# (identifier 5) and root/y (none): only 5 may appear.
            publishQos1(publisher, root + "/y", 2, "one");
            Set<Integer> forY = new HashSet<>(expectPublish(client, root + "/y", "one").properties()
                    .subscriptionIdentifiers());
            if (!forY.contains(5)) {
                forY.addAll(expectPublish(client, root + "/y", "one").properties().subscriptionIdentifiers());
            }
            assertThat(forY).containsExactly(5);
        }
    }

    /** No Local: the client's own messages are not sent back to it [MQTT-3.8.3-3]; others still get them. */
    @Test
    void doesNotSendOwnMessagesToANoLocalSubscription() throws Exception {
        String topic = unique("nolocal");
        try (RawMqttClient self = connect(unique("self")); RawMqttClient other = subscriber(topic, 1)) {
            self.send(Packets.subscribe(1, 0, noLocal(topic)));
            self.expectPacket(Suback.class, WAIT);

            self.send(Packets.publish(topic, 1, 2, "mine"));
            assertThat(self.expectPacket(Puback.class, WAIT).packetId()).isEqualTo(2);
            expectPublish(other, topic, "mine");
            self.expectNothing(QUIET);
        }
    }

    /**
     * Publishing to a reserved topic is refused by the denial table (SPEC 3.5): QoS 1 gets PUBACK 0x87 and
     * the connection stays; QoS 0 is dropped and the connection stays.
     */
    @Test
    void refusesPublishesToDollarTopicsAndKeepsTheConnection() throws Exception {
        try (RawMqttClient all = subscriber("#", 1); RawMqttClient client = connect(unique("dollar-pub"))) {
            client.send(Packets.publish("$SYS/x", 1, 8, "not allowed"));
            Puback puback = client.expectPacket(Puback.class, WAIT);
            assertThat(puback.packetId()).isEqualTo(8);
            assertThat(puback.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);

            client.send(Packets.publish("$x", 0, 0, "dropped"));
            client.send(Pingreq.INSTANCE);
            client.expectPacket(Pingresp.class, WAIT);
            all.expectNothing(QUIET);
        }
    }

    /** Several filters in one SUBSCRIBE get their codes in order [MQTT-3.8.4-6]; the packet id is echoed. */
    @Test
    void answersEveryFilterOfOneSubscribe() throws Exception {
        try (RawMqttClient client = connect(unique("many"))) {
            client.send(new Subscribe(9, List.of(Packets.subscription(unique("q0"), 0),
                    Packets.subscription(unique("q1"), 1), Packets.subscription(unique("q2"), 2)), 0, List.of()));

            Suback suback = client.expectPacket(Suback.class, WAIT);
            assertThat(suback.packetId()).isEqualTo(9);
            assertThat(suback.reasonCodes()).containsExactly(0, 1, 2);
        }
    }
}
