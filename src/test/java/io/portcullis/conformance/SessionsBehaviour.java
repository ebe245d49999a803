package io.portcullis.conformance;

import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions across connections (MQTT 3.1.1 and 5.0 sections 3.1.2.4 and 4.4): Session Present, re-delivery of
 * unacknowledged messages with DUP 1 and their original packet ids, in order, and messages queued while the
 * client was away.
 */
public abstract class SessionsBehaviour extends VersionedBehaviour {

    /** Clean Start / Clean Session 0, and for MQTT 5 a Session Expiry Interval that outlives the test. */
    protected Connect persistent(String clientId) {
        return Packets.connect(version(), clientId).cleanStart(false).sessionExpiry(60).build();
    }

    private RawMqttClient persistentSubscriber(String clientId, String topic, int qos) throws Exception {
        // A fresh ClientId: there is no old session to resume.
        RawMqttClient client = broker().connect(persistent(clientId));
        client.send(Packets.subscribe(1, topic, qos));
        assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(qos);
        return client;
    }

    private RawMqttClient resume(String clientId) throws Exception {
        RawMqttClient client = broker().open("client-1", version());
        Connack connack = client.connect(persistent(clientId), WAIT);
        assertThat(connack.reasonCode()).isZero();
        // A session was there: Session Present 1 [MQTT-3.2.2-3 (5.0), MQTT-3.2.2-2 (3.1.1)].
        assertThat(connack.sessionPresent()).isTrue();
        return client;
    }

    /** A DISCONNECT the session survives (MQTT 5 normal disconnection), and the broker's close after it. */
    private void disconnect(RawMqttClient client) throws Exception {
        client.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
        client.expectClosed(WAIT);
    }

    /**
     * After a network failure, unacknowledged QoS 1 messages are sent again with DUP 1 and their original
     * packet ids, in the original order [MQTT-4.4.0-1, MQTT-3.3.1-1, MQTT-4.6.0-1].
     */
    @Test
    void resendsUnacknowledgedQos1MessagesWithDupAfterANetworkFailure() throws Exception {
        String clientId = unique("redeliver");
        String topic = unique("redeliver");
        List<Integer> firstIds = new ArrayList<>();
        try (RawMqttClient subscriber = persistentSubscriber(clientId, topic, 1);
             RawMqttClient publisher = connect(unique("pub"))) {
            for (int i = 1; i <= 3; i++) {
                publishQos1(publisher, topic, i, "m" + i);
            }
            for (int i = 1; i <= 3; i++) {
                Publish first = expectPublish(subscriber, topic, "m" + i);
                assertThat(first.dup()).isFalse();
                firstIds.add(first.packetId());
            }
        }

        try (RawMqttClient subscriber = resume(clientId)) {
            for (int i = 1; i <= 3; i++) {
                Publish again = expectPublish(subscriber, topic, "m" + i);
                assertThat(again.dup()).as("DUP of re-sent m%d", i).isTrue();
                assertThat(again.packetId()).isEqualTo(firstIds.get(i - 1));
                subscriber.send(new Puback(again.packetId(), ReasonCode.SUCCESS));
            }
            subscriber.expectNothing(QUIET);
        }
    }

    /**
     * After a DISCONNECT that keeps the session, messages published meanwhile are kept and follow the
     * re-sent ones, as new messages with DUP 0 [MQTT-3.1.2-5 (3.1.1), section 3.1.2.11.2 (5.0)].
     */
    @Test
    void queuesMessagesForAnOfflineSessionBehindTheResentOnes() throws Exception {
        String clientId = unique("offline");
        String topic = unique("offline");
        try (RawMqttClient subscriber = persistentSubscriber(clientId, topic, 1);
             RawMqttClient publisher = connect(unique("pub"))) {
            publishQos1(publisher, topic, 1, "sent");
            expectPublish(subscriber, topic, "sent");
            disconnect(subscriber);

            publishQos1(publisher, topic, 2, "queued-1");
            publishQos1(publisher, topic, 3, "queued-2");
        }

        try (RawMqttClient subscriber = resume(clientId)) {
            Publish resent = expectPublish(subscriber, topic, "sent");
            assertThat(resent.dup()).isTrue();
            Publish queued1 = expectPublish(subscriber, topic, "queued-1");
            Publish queued2 = expectPublish(subscriber, topic, "queued-2");
            assertThat(queued1.dup()).isFalse();
            assertThat(queued2.dup()).isFalse();
            assertThat(List.of(resent.packetId(), queued1.packetId(), queued2.packetId())).doesNotHaveDuplicates();
        }
    }

    /** A PUBREL the client had not answered with PUBCOMP is sent again on resumption [MQTT-4.4.0-1]. */
    @Test
    void resendsPubrelAfterReconnect() throws Exception {
        String clientId = unique("pubrel");
        String topic = unique("pubrel");
        int packetId;
        try (RawMqttClient subscriber = persistentSubscriber(clientId, topic, 2);
             RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 2, 1, "exactly-once"));
            publisher.expectPacket(Pubrec.class, WAIT);
            packetId = expectPublish(subscriber, topic, "exactly-once").packetId();
            subscriber.send(new Pubrec(packetId, ReasonCode.SUCCESS));
            subscriber.expectPacket(Pubrel.class, WAIT);
        }

        try (RawMqttClient subscriber = resume(clientId)) {
            assertThat(subscriber.expectPacket(Pubrel.class, WAIT).packetId()).isEqualTo(packetId);
            subscriber.send(new Pubcomp(packetId, ReasonCode.SUCCESS));
            // Nothing is delivered a second time.
            subscriber.expectNothing(QUIET);
        }
    }

    /**
     * Clean Start / Clean Session 1 discards the old session: Session Present 0 and its subscriptions gone
     * [MQTT-3.1.2-4 (5.0), MQTT-3.1.2-6 (3.1.1), MQTT-3.2.2-2 (5.0), MQTT-3.2.2-1 (3.1.1)].
     */
    @Test
    void discardsTheSessionOnCleanStart() throws Exception {
        String clientId = unique("clean");
        String topic = unique("clean");
        try (RawMqttClient subscriber = persistentSubscriber(clientId, topic, 1)) {
            disconnect(subscriber);
        }

        try (RawMqttClient subscriber = broker().open("client-1", version());
             RawMqttClient publisher = connect(unique("pub"))) {
            Connack connack = subscriber.connect(Packets.connect(version(), clientId).cleanStart(true).build(), WAIT);
            assertThat(connack.sessionPresent()).isFalse();
            publishQos1(publisher, topic, 1, "to nobody");
            subscriber.expectNothing(QUIET);
        }
    }
}
