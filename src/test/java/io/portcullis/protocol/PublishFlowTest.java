package io.portcullis.protocol;

import io.portcullis.config.MqttSettings;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.UserProperty;
import io.portcullis.session.Session;
import io.portcullis.session.SessionMetrics.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.Packets.subscribe;
import static io.portcullis.protocol.Packets.text;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class PublishFlowTest {
    private final TestBroker broker = new TestBroker();

    private TestClient subscriber(TestBroker on, MqttVersion version, String clientId, String filter, int qos) {
        TestClient client = on.newClient();
        client.connect(connect(version, clientId, "bob").build());
        client.send(subscribe(1, filter, qos));
        assertThat(client.next(Suback.class).reasonCodes()).containsExactly(qos);
        return client;
    }

    private TestClient publisher(MqttVersion version) {
        TestClient client = broker.newClient();
        client.connect(connect(version, "pub", "alice").build());
        return client;
    }

    @Test
    void qos0IsDeliveredAtQos0() {
        TestClient sub = subscriber(broker, V5, "sub", "a/+", 2);
        publisher(V5).send(publish("a/b", 0, 0, "hello"));

        Publish delivered = sub.next(Publish.class);
        assertThat(delivered.topic()).isEqualTo("a/b");
        assertThat(delivered.qos()).isZero();
        assertThat(delivered.packetId()).isZero();
        assertThat(text(delivered)).isEqualTo("hello");
    }

    @Test
    void qos1IsAcknowledgedAfterRoutingAndDeliveredWithAPacketId() {
        TestClient sub = subscriber(broker, V5, "sub", "a/b", 1);
        TestClient pub = publisher(V5);

        pub.send(publish("a/b", 1, 7, "m"));

        Puback ack = pub.next(Puback.class);
        assertThat(ack.packetId()).isEqualTo(7);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        Publish delivered = sub.next(Publish.class);
        assertThat(delivered.qos()).isEqualTo(1);
        assertThat(delivered.packetId()).isPositive();
        Session session = broker.context.sessions().find("sub");
        assertThat(session.inflight()).hasSize(1);

        sub.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
        assertThat(session.inflight()).isEmpty();
    }

    @Test
    void deliveryQosIsTheLowerOfPublishedAndGranted() {
        TestClient sub = subscriber(broker, V5, "sub", "a/b", 1);
        publisher(V5).send(publish("a/b", 2, 3, "m"));

        assertThat(sub.next(Publish.class).qos()).isEqualTo(1);
    }

    @Test
    void mqtt5PublisherLearnsThatNoOneSubscribed() {
        TestClient pub = publisher(V5);

        pub.send(publish("nobody/listens", 1, 1, "m"));
        pub.send(publish("nobody/listens", 2, 2, "m"));

        assertThat(pub.next(Puback.class).reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        assertThat(pub.next(Pubrec.class).reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
    }

    @Test
    void qos2InboundIsRoutedOnceAndCompletedByPubrel() {
        TestClient sub = subscriber(broker, V5, "sub", "a/b", 0);
        TestClient pub = publisher(V5);

        pub.send(publish("a/b", 2, 9, "once"));
        assertThat(pub.next(Pubrec.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        Publish resent = new Publish("a/b", 2, false, true, 9, "once".getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE);
        pub.send(resent);
        assertThat(pub.next(Pubrec.class).packetId()).isEqualTo(9);
        pub.send(new Pubrel(9, ReasonCode.SUCCESS));

        assertThat(pub.next(Pubcomp.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(sub.received()).hasSize(1);
        assertThat(broker.context.sessions().find("pub").inboundQos2Count()).isZero();
    }

    @Test
    void pubrelForUnknownPacketIdGetsPacketIdentifierNotFound() {
        TestClient pub = publisher(V5);

        pub.send(new Pubrel(44, ReasonCode.SUCCESS));

        assertThat(pub.next(Pubcomp.class).reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
    }

    @Test
    void qos2OutboundRunsPubrecPubrelPubcomp() {
        TestClient sub = subscriber(broker, V5, "sub", "a/b", 2);
        publisher(V5).send(publish("a/b", 2, 1, "m"));
        Publish delivered = sub.next(Publish.class);
        assertThat(delivered.qos()).isEqualTo(2);

        sub.send(new Pubrec(delivered.packetId(), ReasonCode.SUCCESS));
        assertThat(sub.next(Pubrel.class).packetId()).isEqualTo(delivered.packetId());
        Session session = broker.context.sessions().find("sub");
        assertThat(session.inflight()).singleElement().matches(m -> m.released());

        sub.send(new Pubcomp(delivered.packetId(), ReasonCode.SUCCESS));
        assertThat(session.inflight()).isEmpty();
    }

    @Test
    void pubrecForUnknownPacketIdGetsPubrelWithPacketIdentifierNotFound() {
        TestClient sub = subscriber(broker, V5, "sub", "a/b", 2);

        sub.send(new Pubrec(321, ReasonCode.SUCCESS));

        assertThat(sub.next(Pubrel.class).reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
    }

    @Test
    void crossesVersionsBothWays() {
        TestClient v3Sub = subscriber(broker, V3_1_1, "v3sub", "x/#", 1);
        TestClient v5Sub = subscriber(broker, V5, "v5sub", "x/#", 1);
        TestClient v3Pub = broker.newClient();
        v3Pub.connect(connect(V3_1_1, "v3pub", "alice").build());

        v3Pub.send(publish("x/1", 1, 1, "from3"));
        Publish withProperties = new Publish("x/2", 1, false, false, 2, "from5".getBytes(StandardCharsets.UTF_8),
                new PublishProperties(1, null, 0, "reply/here", null, List.of(new UserProperty("k", "v")), List.of(),
                        "text/plain"));
        publisher(V5).send(withProperties);

        assertThat(v3Sub.received()).extracting(p -> text((Publish) p)).containsExactly("from3", "from5");
        List<MqttPacket> v5 = v5Sub.received();
        assertThat(v5).extracting(p -> text((Publish) p)).containsExactly("from3", "from5");
        PublishProperties forwarded = ((Publish) v5.get(1)).properties();
        assertThat(forwarded.responseTopic()).isEqualTo("reply/here");
        assertThat(forwarded.userProperties()).containsExactly(new UserProperty("k", "v"));
        assertThat(forwarded.contentType()).isEqualTo("text/plain");
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({
            "V5,     0, open",
            "V5,     1, open",
            "V5,     2, open",
            "V3_1_1, 0, closed",
            "V3_1_1, 1, closed",
            "V3_1_1, 2, closed",
    })
    void appliesThePublishDenialTable(MqttVersion version, int qos, String outcome) {
        TestClient carol = broker.newClient();
        carol.connect(connect(version, "c", "carol").build());
        TestClient watcher = subscriber(broker, V5, "w", "#", 2);

        carol.send(publish("forbidden/topic", qos, qos == 0 ? 0 : 5, "m"));

        List<MqttPacket> answers = carol.received();
        assertThat(carol.isOpen()).isEqualTo(outcome.equals("open"));
        assertThat(watcher.received()).isEmpty();
        assertThat(broker.context.protocolMetrics().publishesDenied()).isEqualTo(1);
        if (version.isV5() && qos == 1) {
            Puback ack = (Puback) answers.get(0);
            assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(ack.reasonString()).contains("forbidden/topic");
        } else if (version.isV5() && qos == 2) {
            assertThat(((Pubrec) answers.get(0)).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
            assertThat(broker.context.sessions().find("c").inboundQos2Count()).isZero();
        } else {
            assertThat(answers).isEmpty();
        }
        if (qos == 0 && version.isV5()) {
            assertThat(broker.context.protocolMetrics().qos0PublishesDropped()).isEqualTo(1);
        }
    }

    @Test
    void omitsReasonStringWhenProblemInformationIsNotRequested() {
        TestClient carol = broker.newClient();
        carol.connect(connect(V5, "c", "carol").requestProblemInformation(false).build());

        carol.send(publish("forbidden/topic", 1, 5, "m"));

        Puback ack = carol.next(Puback.class);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(ack.reasonString()).isNull();
    }

    @Test
    void resolvesTopicAliases() {
        TestClient sub = subscriber(broker, V5, "sub", "long/topic/name", 0);
        TestClient pub = publisher(V5);

        pub.send(aliased("long/topic/name", 3, "first"));
        pub.send(aliased("", 3, "second"));

        assertThat(sub.received()).extracting(p -> ((Publish) p).topic()).containsExactly("long/topic/name",
                "long/topic/name");
        assertThat(pub.isOpen()).isTrue();
    }

    @Test
    void unknownTopicAliasIsAProtocolError() {
        TestClient pub = publisher(V5);

        pub.send(aliased("", 4, "m"));

        assertThat(pub.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(pub.isOpen()).isFalse();
    }

    @Test
    void topicAliasAboveTheMaximumIsInvalid() {
        TestClient pub = publisher(V5);

        pub.send(aliased("a/b", MqttSettings.DEFAULTS.topicAliasMaximum() + 1, "m"));

        assertThat(pub.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID);
    }

    @Test
    void tooManyUnreleasedQos2PublishesExceedTheReceiveMaximum() {
        TestBroker small = new TestBroker(settings(2, 1000, 1 << 20, Duration.ofSeconds(30),
                MqttSettings.QueueOverflowPolicy.DropOldest), 10);
        TestClient pub = small.newClient();
        pub.connect(connect(V5, "pub", "alice").build());

        pub.send(publish("a", 2, 1, "m")).send(publish("a", 2, 2, "m")).send(publish("a", 2, 3, "m"));

        List<MqttPacket> answers = pub.received();
        assertThat(answers).hasSize(3);
        assertThat(((Disconnect) answers.get(2)).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED);
    }

    @Test
    void forwardsTheRemainingMessageExpiryAndDropsExpiredMessages() {
        TestClient sub = broker.newClient();
        sub.connect(connect(V5, "sub", "bob").cleanStart(false).sessionExpiry(3600).build());
        sub.send(subscribe(1, "e/#", 1));
        sub.received();
        sub.dropConnection();
        TestClient pub = publisher(V5);

        pub.send(expiring("e/short", 5)).send(expiring("e/long", 100));
        broker.clock.advanceSeconds(10);
        TestClient back = broker.newClient();
        back.connect(connect(V5, "sub", "bob").cleanStart(false).sessionExpiry(3600).build());

        List<MqttPacket> delivered = back.received();
        assertThat(delivered).hasSize(1);
        Publish publish = (Publish) delivered.get(0);
        assertThat(publish.topic()).isEqualTo("e/long");
        assertThat(publish.properties().messageExpiryInterval()).isEqualTo(90L);
        assertThat(broker.context.sessionMetrics().messagesDropped(DropReason.EXPIRED)).isEqualTo(1);
    }

    @Test
    void doesNotSendMoreThanTheClientsMaximumPacketSize() {
        TestClient sub = broker.newClient();
        sub.connect(connect(V5, "sub", "bob").maximumPacketSize(64).build());
        sub.send(subscribe(1, "big/#", 1));
        sub.received();
        TestClient pub = publisher(V5);

        pub.send(publish("big/one", 1, 1, "x".repeat(200))).send(publish("big/two", 1, 2, "small"));

        assertThat(sub.received()).extracting(p -> ((Publish) p).topic()).containsExactly("big/two");
        assertThat(broker.context.sessionMetrics().messagesDropped(DropReason.TOO_LARGE)).isEqualTo(1);
        assertThat(broker.context.sessions().find("sub").inflight()).hasSize(1);
    }

    @Test
    void retainedMessageOverTheSizeLimitIsRefusedWithQuotaExceeded() {
        TestBroker small = new TestBroker(retainedLimit(MqttSettings.DEFAULTS, 4), 10);
        TestClient pub = small.newClient();
        pub.connect(connect(V5, "pub", "alice").build());

        pub.send(Packets.retained("r/t", 1, 1, "too long"));

        Puback ack = pub.next(Puback.class);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QUOTA_EXCEEDED);
        assertThat(ack.reasonString()).contains("maximumRetainedMessageSize");
        assertThat(small.context.retained().size()).isZero();
    }

    private static Publish aliased(String topic, int alias, String payload) {
        return new Publish(topic, 0, false, false, 0, payload.getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE.withTopicAlias(alias));
    }

    private static Publish expiring(String topic, long seconds) {
        return new Publish(topic, 1, false, false, 11, "m".getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE.withMessageExpiryInterval(seconds));
    }

    static MqttSettings settings(int receiveMaximum, int maximumQueuedMessages, long maximumQueuedBytes,
                                 Duration grace, MqttSettings.QueueOverflowPolicy policy) {
        MqttSettings s = MqttSettings.DEFAULTS;
        return new MqttSettings(s.maximumPacketSize(), s.maximumTopicLength(), s.maximumTopicLevels(),
                s.maximumSubscriptionsPerSession(), s.maximumFiltersPerSubscribe(), s.maximumKeepAliveSeconds(),
                s.connectTimeout(), s.maximumSessionExpirySeconds(), receiveMaximum, s.maximumOutboundInflight(),
                s.topicAliasMaximum(), maximumQueuedMessages, maximumQueuedBytes, policy, grace,
                s.maximumRetainedMessageSize(), s.maximumRetainedMessages(), s.sharedSubscriptionsEnabled());
    }

    static MqttSettings retainedLimit(MqttSettings s, int maximumRetainedMessageSize) {
        return new MqttSettings(s.maximumPacketSize(), s.maximumTopicLength(), s.maximumTopicLevels(),
                s.maximumSubscriptionsPerSession(), s.maximumFiltersPerSubscribe(), s.maximumKeepAliveSeconds(),
                s.connectTimeout(), s.maximumSessionExpirySeconds(), s.receiveMaximum(), s.maximumOutboundInflight(),
                s.topicAliasMaximum(), s.maximumQueuedMessages(), s.maximumQueuedBytes(), s.queueOverflowPolicy(),
                s.slowSubscriberGracePeriod(), maximumRetainedMessageSize, s.maximumRetainedMessages(),
                s.sharedSubscriptionsEnabled());
    }
}
