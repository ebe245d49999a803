package io.portcullis.conformance;

import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared subscriptions {@code $share/<group>/<filter>} (MQTT 5.0 section 4.8.2; accepted from MQTT 3.1.1
 * clients as an extension, SPEC 4): each message goes to one member of each group.
 */
public abstract class SharedSubscriptionsBehaviour extends VersionedBehaviour {
    private static final int MESSAGES = 10;

    /** Every PUBLISH that arrives until the client has been quiet for a while, each acknowledged. */
    protected static List<String> drain(RawMqttClient client) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (MqttPacket packet = client.nextPacket(QUIET); packet != null; packet = client.nextPacket(QUIET)) {
            Publish publish = (Publish) packet;
            payloads.add(Packets.text(publish));
            if (publish.qos() == 1) {
                client.send(new Puback(publish.packetId(), ReasonCode.SUCCESS));
            }
        }
        return payloads;
    }

    private static List<String> publishAll(RawMqttClient publisher, String topic) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= MESSAGES; i++) {
            publishQos1(publisher, topic, i, "m" + i);
            sent.add("m" + i);
        }
        return sent;
    }

    /**
     * One copy per group, spread among its members; a plain subscription to the same topic gets every
     * message (section 4.8.2).
     */
    @Test
    void deliversEachMessageToOneMemberOfTheGroup() throws Exception {
        String topic = unique("shared");
        String shared = "$share/" + unique("g") + "/" + topic;
        try (RawMqttClient first = subscriber(shared, 1); RawMqttClient second = subscriber(shared, 1);
             RawMqttClient plain = subscriber(topic, 1); RawMqttClient publisher = connect(unique("pub"))) {
            List<String> sent = publishAll(publisher, topic);

            List<String> toFirst = drain(first);
            List<String> toSecond = drain(second);
            List<String> toGroup = new ArrayList<>(toFirst);
            toGroup.addAll(toSecond);
            assertThat(toGroup).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(toFirst).as("spread among members").isNotEmpty();
            assertThat(toSecond).as("spread among members").isNotEmpty();
            assertThat(drain(plain)).containsExactlyElementsOf(sent);
        }
    }

    /** Each share group gets its own copy (section 4.8.2). */
    @Test
    void givesEveryGroupItsOwnCopy() throws Exception {
        String topic = unique("groups");
        try (RawMqttClient one = subscriber("$share/" + unique("a") + "/" + topic, 1);
             RawMqttClient two = subscriber("$share/" + unique("b") + "/" + topic, 1);
             RawMqttClient publisher = connect(unique("pub"))) {
            publishQos1(publisher, topic, 1, "for both");

            assertThat(drain(one)).containsExactly("for both");
            assertThat(drain(two)).containsExactly("for both");
        }
    }

    /** Retained messages are not sent when a shared subscription is made (section 4.8.2). */
    @Test
    void sendsNoRetainedMessagesToANewSharedSubscription() throws Exception {
        String topic = unique("shared-retained");
        try (RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 1, true, 1, "retained", PublishProperties.NONE));
            publisher.expectPacket(Puback.class, WAIT);
        }

        try (RawMqttClient member = subscriber("$share/" + unique("r") + "/" + topic, 1)) {
            member.expectNothing(QUIET);
        }
    }
}
