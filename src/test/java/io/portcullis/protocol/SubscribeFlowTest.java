package io.portcullis.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.portcullis.config.MqttSettings;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.protocol.codec.Unsuback;
import io.portcullis.protocol.codec.Unsubscribe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.Packets.text;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class SubscribeFlowTest {
    private final TestBroker broker = new TestBroker();

    private TestClient connected(MqttVersion version, String clientId, String user) {
        TestClient client = broker.newClient();
        client.connect(connect(version, clientId, user).build());
        return client;
    }

    private static Subscribe subscription(int packetId, int identifier, Subscribe.Subscription... filters) {
        return new Subscribe(packetId, List.of(filters), identifier, List.of());
    }

    private static Subscribe.Subscription filter(String filter, int qos, boolean noLocal, boolean retainAsPublished,
                                                 int retainHandling) {
        return new Subscribe.Subscription(filter, qos, noLocal, retainAsPublished, retainHandling);
    }

    @ParameterizedTest(name = "Retain Handling {0}")
    @CsvSource({"0, 1, 1", "1, 1, 0", "2, 0, 0"})
    void sendsRetainedMessagesPerRetainHandling(int handling, int onFirst, int onRepeat) {
        connected(V5, "pub", "alice").send(Packets.retained("r/a", 1, 1, "kept"));
        TestClient sub = connected(V5, "sub", "bob");

        sub.send(subscription(1, 0, filter("r/#", 1, false, false, handling)));
        List<MqttPacket> first = sub.received();
        sub.send(subscription(2, 0, filter("r/#", 1, false, false, handling)));
        List<MqttPacket> repeat = sub.received();

        assertThat(first.get(0)).isInstanceOf(Suback.class);
        assertThat(first).hasSize(1 + onFirst);
        assertThat(repeat).hasSize(1 + onRepeat);
        if (onFirst == 1) {
            Publish retained = (Publish) first.get(1);
            assertThat(retained.retain()).isTrue();
            assertThat(text(retained)).isEqualTo("kept");
        }
    }

    @Test
    void queuesRetainedMessagesBeforeSubackIsFlushed() {
        connected(V5, "pub", "alice").send(Packets.retained("r/a", 1, 1, "kept"));
        TestClient sub = connected(V5, "sub", "bob");
        List<String> outbound = new ArrayList<>();
        sub.channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                outbound.add(((MqttPacket) msg).type().name());
                super.write(ctx, msg, promise);
            }

            @Override
            public void flush(ChannelHandlerContext ctx) throws Exception {
                outbound.add("flush");
                super.flush(ctx);
            }
        });

        sub.send(subscription(1, 0, filter("r/#", 1, false, false, 0)));

        // A client that reads SUBACK may publish at once; the retained message is already on its way by then.
        assertThat(outbound.subList(0, 2)).containsExactly("SUBACK", "PUBLISH");
    }

    @Test
    void emptyRetainedPayloadDeletesTheRetainedMessage() {
        TestClient pub = connected(V5, "pub", "alice");
        pub.send(Packets.retained("r/a", 0, 0, "kept"));
        pub.send(Packets.retained("r/a", 0, 0, ""));
        TestClient sub = connected(V5, "sub", "bob");

        sub.send(Packets.subscribe(1, "r/#", 1));

        assertThat(sub.received()).hasSize(1);
        assertThat(broker.context.retained().size()).isZero();
    }

    @ParameterizedTest(name = "Retain As Published {0}")
    @CsvSource({"true, true", "false, false"})
    void forwardsTheRetainFlagOnlyWithRetainAsPublished(boolean retainAsPublished, boolean expected) {
        TestClient sub = connected(V5, "sub", "bob");
        sub.send(subscription(1, 0, filter("r/#", 0, false, retainAsPublished, 0)));
        sub.received();

        connected(V5, "pub", "alice").send(Packets.retained("r/live", 0, 0, "now"));

        assertThat(sub.next(Publish.class).retain()).isEqualTo(expected);
    }

    @Test
    void refusesOnlyTheFiltersThatFailAndGrantsTheRest() {
        TestClient carol = connected(V5, "c", "carol");

        carol.send(subscription(1, 0,
                filter("carol/x", 2, false, false, 0),
                filter("other/x", 1, false, false, 0),
                filter("bad/#/x", 1, false, false, 0),
                filter("$share//x", 1, false, false, 0),
                filter("carol/y", 1, false, false, 0)));

        assertThat(carol.next(Suback.class).reasonCodes()).containsExactly(2, ReasonCode.NOT_AUTHORIZED,
                ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.TOPIC_FILTER_INVALID, 1);
        assertThat(broker.context.sessions().find("c").subscriptions()).containsOnlyKeys("carol/x", "carol/y");
        assertThat(broker.context.protocolMetrics().subscriptionsDenied()).isEqualTo(1);
    }

    @Test
    void checksTheInnerFilterOfSharedSubscriptions() {
        TestClient carol = connected(V5, "c", "carol");

        carol.send(subscription(1, 0, filter("$share/g/shared/x", 1, false, false, 0),
                filter("$share/g/other/x", 1, false, false, 0)));

        assertThat(carol.next(Suback.class).reasonCodes()).containsExactly(1, ReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void enforcesSubscriptionLimitsWithQuotaExceeded() {
        MqttSettings s = MqttSettings.DEFAULTS;
        TestBroker small = new TestBroker(new MqttSettings(s.maximumPacketSize(), s.maximumTopicLength(),
                s.maximumTopicLevels(), 2, 3, s.maximumKeepAliveSeconds(), s.connectTimeout(),
                s.maximumSessionExpirySeconds(), s.receiveMaximum(), s.maximumOutboundInflight(),
                s.topicAliasMaximum(), s.maximumQueuedMessages(), s.maximumQueuedBytes(), s.queueOverflowPolicy(),
                s.slowSubscriberGracePeriod(), s.maximumRetainedMessageSize(), s.maximumRetainedMessages(), false), 10);
        TestClient client = small.newClient();
        client.connect(connect(V5, "a", "alice").build());

        client.send(subscription(1, 0, filter("a", 0, false, false, 0), filter("b", 0, false, false, 0),
                filter("c", 0, false, false, 0), filter("d", 0, false, false, 0)));
        client.send(subscription(2, 0, filter("$share/g/x", 0, false, false, 0)));

        assertThat(client.next(Suback.class).reasonCodes()).containsExactly(0, 0, ReasonCode.QUOTA_EXCEEDED,
                ReasonCode.QUOTA_EXCEEDED);
        assertThat(client.next(Suback.class).reasonCodes())
                .containsExactly(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED);
    }

    @Test
    void mqtt311RefusedFilterGetsFailureCode() {
        TestClient carol = connected(V3_1_1, "c", "carol");

        carol.send(Packets.subscribe(1, "other/x", 1));

        // The encoder writes every code of 0x80 or more as 0x80 for 3.1.1.
        assertThat(carol.next(Suback.class).reasonCodes()).containsExactly(ReasonCode.NOT_AUTHORIZED);
        assertThat(carol.isOpen()).isTrue();
    }

    @Test
    void sharedSubscriptionDeliversOneCopyPerGroup() {
        TestClient first = connected(V5, "s1", "alice");
        TestClient second = connected(V5, "s2", "bob");
        first.send(Packets.subscribe(1, "$share/g/jobs/#", 1));
        second.send(Packets.subscribe(1, "$share/g/jobs/#", 1));
        first.received();
        second.received();
        TestClient pub = connected(V5, "p", "alice");

        for (int i = 1; i <= 4; i++) {
            pub.send(publish("jobs/" + i, 0, 0, "job" + i));
        }

        int total = first.received().size() + second.received().size();
        assertThat(total).isEqualTo(4);
    }

    @Test
    void sharedSubscriptionsGetNoRetainedMessages() {
        connected(V5, "pub", "alice").send(Packets.retained("jobs/1", 0, 0, "old"));
        TestClient sub = connected(V5, "s1", "bob");

        sub.send(Packets.subscribe(1, "$share/g/jobs/#", 0));

        assertThat(sub.received()).hasSize(1);
    }

    @Test
    void noLocalOnSharedSubscriptionIsAProtocolError() {
        TestClient client = connected(V5, "s1", "alice");

        client.send(subscription(1, 0, filter("$share/g/x", 0, true, false, 0)));

        assertThat(client.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void noLocalSkipsTheSubscribersOwnMessages() {
        TestClient client = connected(V5, "me", "alice");
        client.send(subscription(1, 0, filter("chat", 0, true, false, 0)));
        client.received();
        TestClient other = connected(V5, "other", "bob");
        other.send(Packets.subscribe(1, "chat", 0));
        other.received();

        client.send(publish("chat", 0, 0, "mine"));

        assertThat(client.received()).isEmpty();
        assertThat(other.received()).hasSize(1);
    }

    @Test
    void echoesSubscriptionIdentifiers() {
        TestClient sub = connected(V5, "sub", "bob");
        sub.send(subscription(1, 7, filter("a/+", 0, false, false, 0)));
        sub.send(subscription(2, 9, filter("a/#", 0, false, false, 0)));
        sub.received();

        connected(V5, "pub", "alice").send(publish("a/b", 0, 0, "m"));

        Publish delivered = sub.next(Publish.class);
        assertThat(delivered.properties().subscriptionIdentifiers()).containsExactly(7, 9);
        assertThat(sub.received()).isEmpty();
    }

    @Test
    void unsubscribeReportsWhetherTheSubscriptionExisted() {
        TestClient sub = connected(V5, "sub", "bob");
        sub.send(Packets.subscribe(1, "a/b", 0));
        sub.received();

        sub.send(new Unsubscribe(2, List.of("a/b", "never/subscribed", "bad/#/x"), List.of()));

        assertThat(sub.next(Unsuback.class).reasonCodes()).containsExactly(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.TOPIC_FILTER_INVALID);
        assertThat(broker.context.subscriptions().subscriptionCount()).isZero();
    }
}
