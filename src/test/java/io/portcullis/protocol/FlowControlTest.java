package io.portcullis.protocol;

import io.portcullis.config.MqttSettings.QueueOverflowPolicy;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.session.Session;
import io.portcullis.session.SessionMetrics.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.Packets.subscribe;
import static io.portcullis.protocol.Packets.text;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class FlowControlTest {

    private static TestBroker broker(int maximumQueued, QueueOverflowPolicy policy) {
        return new TestBroker(PublishFlowTest.settings(1000, maximumQueued, 1 << 20, Duration.ofSeconds(30), policy),
                10);
    }

    private static TestClient slowSubscriber(TestBroker broker, int receiveMaximum) {
        TestClient sub = broker.newClient();
        sub.connect(connect(V5, "slow", "bob").receiveMaximum(receiveMaximum).cleanStart(false).sessionExpiry(600)
                .build());
        sub.send(subscribe(1, "t/#", 1));
        sub.received();
        return sub;
    }

    private static TestClient publisher(TestBroker broker) {
        TestClient pub = broker.newClient();
        pub.connect(connect(V5, "pub", "alice").build());
        return pub;
    }

    @Test
    void honoursTheClientsReceiveMaximum() {
        TestBroker broker = broker(100, QueueOverflowPolicy.DropOldest);
        TestClient sub = slowSubscriber(broker, 2);
        TestClient pub = publisher(broker);

        for (int i = 1; i <= 5; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        List<MqttPacket> first = sub.received();
        sub.send(new Puback(((Publish) first.get(0)).packetId(), ReasonCode.SUCCESS));

        assertThat(first).extracting(p -> text((Publish) p)).containsExactly("m1", "m2");
        assertThat(sub.received()).extracting(p -> text((Publish) p)).containsExactly("m3");
        assertThat(broker.context.sessions().find("slow").queuedMessages()).isEqualTo(2);
    }

    @Test
    void pausesThePublisherWhileTheSubscriberQueueIsHighAndResumesWhenItDrains() {
        TestBroker broker = broker(10, QueueOverflowPolicy.DropOldest);
        TestClient sub = slowSubscriber(broker, 1);
        TestClient pub = publisher(broker);

        for (int i = 1; i <= 9; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        assertThat(pub.channel.config().isAutoRead()).isTrue();
        pub.send(publish("t/10", 1, 10, "m10"));
        assertThat(pub.channel.config().isAutoRead()).isFalse();
        assertThat(broker.context.sessionMetrics().publisherPauses()).isEqualTo(1);

        Session session = broker.context.sessions().find("slow");
        int acknowledged = 0;
        while (!pub.channel.config().isAutoRead()) {
            Publish next = (Publish) sub.received().get(0);
            sub.send(new Puback(next.packetId(), ReasonCode.SUCCESS));
            pub.channel.runPendingTasks();
            acknowledged++;
        }

        assertThat(acknowledged).isEqualTo(4);
        assertThat(session.queuedMessages()).isEqualTo(5);
        assertThat(broker.context.sessionMetrics().messagesDropped(DropReason.QUEUE_FULL)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DropOldest, m4", "DropNewest, m2"})
    void appliesTheDropPolicyWhenTheQueueStaysFullPastTheGracePeriod(QueueOverflowPolicy policy, String firstKept) {
        TestBroker broker = broker(10, policy);
        TestClient sub = slowSubscriber(broker, 1);
        TestClient pub = publisher(broker);

        // The publisher is paused from the tenth message on; these simulate what it had already read.
        for (int i = 1; i <= 13; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        Session session = broker.context.sessions().find("slow");
        assertThat(session.queuedMessages()).isEqualTo(12);
        sub.channel.advanceTimeBy(31, TimeUnit.SECONDS);
        sub.channel.runScheduledPendingTasks();
        pub.channel.runPendingTasks();

        assertThat(session.queuedMessages()).isEqualTo(10);
        assertThat(broker.context.sessionMetrics().messagesDropped(DropReason.QUEUE_FULL)).isEqualTo(2);
        assertThat(pub.channel.config().isAutoRead()).isTrue();
        Publish inflight = (Publish) sub.received().get(0);
        sub.send(new Puback(inflight.packetId(), ReasonCode.SUCCESS));
        assertThat(text((Publish) sub.received().get(0))).isEqualTo(firstKept);
    }

    @Test
    void endsTheSessionWhenTheQueueStaysFullUnderEndSession() {
        TestBroker broker = broker(10, QueueOverflowPolicy.EndSession);
        TestClient sub = slowSubscriber(broker, 1);
        TestClient pub = publisher(broker);
        for (int i = 1; i <= 13; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        sub.received();

        sub.channel.advanceTimeBy(31, TimeUnit.SECONDS);
        sub.channel.runScheduledPendingTasks();

        assertThat(sub.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        assertThat(broker.context.sessions().find("slow")).isNull();
        assertThat(pub.isOpen()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DropOldest, 'm3,m4,m5'", "DropNewest, 'm1,m2,m3'"})
    void boundsTheOfflineQueue(QueueOverflowPolicy policy, String expected) {
        TestBroker broker = broker(3, policy);
        slowSubscriber(broker, 10).dropConnection();
        TestClient pub = publisher(broker);

        for (int i = 1; i <= 5; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        assertThat(pub.channel.config().isAutoRead()).isTrue();
        TestClient back = broker.newClient();
        back.connect(connect(V5, "slow", "bob").cleanStart(false).sessionExpiry(600).build());

        assertThat(back.received()).extracting(p -> text((Publish) p)).containsExactly(expected.split(","));
        assertThat(broker.context.sessionMetrics().messagesDropped(DropReason.QUEUE_FULL)).isEqualTo(2);
    }

    @Test
    void endsAnOfflineSessionWhoseQueueOverflowsUnderEndSession() {
        TestBroker broker = broker(3, QueueOverflowPolicy.EndSession);
        slowSubscriber(broker, 10).dropConnection();
        TestClient pub = publisher(broker);

        for (int i = 1; i <= 4; i++) {
            pub.send(publish("t/" + i, 1, i, "m" + i));
        }
        TestClient back = broker.newClient();
        Connack connack = back.connect(connect(V5, "slow", "bob").cleanStart(false).sessionExpiry(600).build());

        assertThat(connack.sessionPresent()).isFalse();
        assertThat(back.received()).isEmpty();
    }
}
