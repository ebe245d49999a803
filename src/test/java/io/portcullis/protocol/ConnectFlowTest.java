package io.portcullis.protocol;

import io.portcullis.config.MqttSettings;
import io.portcullis.protocol.codec.Auth;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MalformedPacket;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.PacketType;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.ReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class ConnectFlowTest {
    private final TestBroker broker = new TestBroker();

    @Test
    void acceptsMqtt5ConnectWithBrokerLimitsInConnack() {
        Connack connack = broker.newClient().connect(connect(V5, "dev-1", "alice").build());

        MqttSettings settings = MqttSettings.DEFAULTS;
        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(connack.sessionPresent()).isFalse();
        assertThat(connack.receiveMaximum()).isEqualTo(settings.receiveMaximum());
        assertThat(connack.maximumPacketSize()).isEqualTo(settings.maximumPacketSize());
        assertThat(connack.topicAliasMaximum()).isEqualTo(settings.topicAliasMaximum());
        assertThat(connack.maximumQos()).isNull();
        assertThat(connack.retainAvailable()).isTrue();
        assertThat(connack.wildcardSubscriptionAvailable()).isTrue();
        assertThat(connack.subscriptionIdentifiersAvailable()).isTrue();
        assertThat(connack.sharedSubscriptionAvailable()).isTrue();
        assertThat(connack.serverKeepAlive()).isNull();
        assertThat(connack.sessionExpiryInterval()).isNull();
        assertThat(connack.assignedClientIdentifier()).isNull();
        assertThat(broker.context.connectionCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} username={1} -> {2}")
    @CsvSource({
            "V5,      stranger,     0x87, true",
            "V3_1_1,  stranger,     0x05, true",
            "V5,      bad name,     0x86, true",
            "V3_1_1,  bad name,     0x04, true",
            "V5,      backend-down, 0x88, true",
            "V3_1_1,  backend-down, 0x03, true",
            "V5,      nobody,       0x87, true",
            "V3_1_1,  nobody,       0x05, true",
    })
    void refusesWithTheVersionsReasonCode(MqttVersion version, String username, String code, boolean closed) {
        TestClient client = broker.newClient();

        Connack connack = client.connect(connect(version, "dev-1", username).build());

        assertThat(connack.reasonCode()).isEqualTo(Integer.decode(code));
        assertThat(connack.reasonString() != null).isEqualTo(version.isV5());
        assertThat(client.isOpen()).isEqualTo(!closed);
        assertThat(broker.context.protocolMetrics().connectionsRefused()).isEqualTo(1);
    }

    @Test
    void takeoverSendsSessionTakenOverToTheOldConnection() {
        TestClient first = broker.newClient();
        first.connect(connect(V5, "dev-1", "alice").cleanStart(false).sessionExpiry(600).build());

        TestClient second = broker.newClient();
        Connack connack = second.connect(connect(V5, "dev-1", "alice").cleanStart(false).sessionExpiry(600).build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(connack.sessionPresent()).isTrue();
        Disconnect disconnect = first.next(Disconnect.class);
        assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
        assertThat(first.isOpen()).isFalse();
        assertThat(second.isOpen()).isTrue();
        assertThat(broker.context.sessions().find("dev-1").isConnected()).isTrue();
    }

    @Test
    void takeoverOfMqtt311ConnectionClosesItWithoutDisconnect() {
        TestClient first = broker.newClient();
        first.connect(connect(V3_1_1, "dev-1", "alice").cleanStart(false).build());

        Connack connack = broker.newClient().connect(connect(V3_1_1, "dev-1", "alice").cleanStart(false).build());

        assertThat(connack.sessionPresent()).isTrue();
        assertThat(first.received()).isEmpty();
        assertThat(first.isOpen()).isFalse();
    }

    @Test
    void cleanStartTakeoverStartsAFreshSession() {
        TestClient first = broker.newClient();
        first.connect(connect(V5, "dev-1", "alice").cleanStart(false).sessionExpiry(600).build());
        first.send(Packets.subscribe(1, "a/b", 1));

        Connack connack = broker.newClient().connect(connect(V5, "dev-1", "alice").build());

        assertThat(connack.sessionPresent()).isFalse();
        assertThat(broker.context.sessions().find("dev-1").subscriptionCount()).isZero();
        assertThat(broker.context.subscriptions().subscriptionCount()).isZero();
    }

    @Test
    void refusesSessionNameOwnedByAnotherAuthenticationName() {
        broker.newClient().connect(connect(V5, "dev-1", "alice").build());

        TestClient bob = broker.newClient();
        Connack v5 = bob.connect(connect(V5, "dev-1", "bob").build());
        Connack v3 = broker.newClient().connect(connect(V3_1_1, "dev-1", "bob").build());

        assertThat(v5.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(v5.reasonString()).contains("another authentication name");
        assertThat(v3.reasonCode()).isEqualTo(ReasonCode.V3_NOT_AUTHORIZED);
        assertThat(broker.context.sessions().find("dev-1").authenticationName()).isEqualTo("alice");
    }

    @Test
    void ownershipComparesAuthenticationNamesCaseInsensitively() {
        broker.newClient().connect(connect(V5, "dev-1", "alice").cleanStart(false).sessionExpiry(60).build());

        Connack connack = broker.newClient().connect(connect(V5, "dev-1", "ALICE").cleanStart(false).build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(connack.sessionPresent()).isTrue();
    }

    @Test
    void capsSessionsPerAuthenticationNameCountingOfflineOnes() {
        TestBroker capped = new TestBroker(MqttSettings.DEFAULTS, 1);
        TestClient first = capped.newClient();
        first.connect(connect(V5, "dev-1", "alice").cleanStart(false).sessionExpiry(600).build());
        first.send(Disconnect.of(0, null));

        Connack second = capped.newClient().connect(connect(V5, "dev-2", "alice").build());
        Connack sameName = capped.newClient().connect(connect(V5, "dev-1", "alice").cleanStart(false).build());

        assertThat(second.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(second.reasonString()).contains("maximum of 1 sessions");
        assertThat(sameName.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(sameName.sessionPresent()).isTrue();
    }

    @Test
    void assignsClientIdentifierToEmptyClientId() {
        Connack v5 = broker.newClient().connect(connect(V5, "", "alice").build());
        Connack v3 = broker.newClient().connect(connect(V3_1_1, "", "bob").build());
        Connack v3Persistent = broker.newClient().connect(connect(V3_1_1, "", "bob").cleanStart(false).build());

        assertThat(v5.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(v5.assignedClientIdentifier()).startsWith("auto-");
        assertThat(broker.context.sessions().find(v5.assignedClientIdentifier())).isNotNull();
        assertThat(v3.reasonCode()).isEqualTo(ReasonCode.V3_ACCEPTED);
        assertThat(v3Persistent.reasonCode()).isEqualTo(ReasonCode.V3_IDENTIFIER_REJECTED);
    }

    @ParameterizedTest
    @CsvSource({"V5, 0x87", "V3_1_1, 0x05"})
    void refusesWillTopicThePublisherMayNotUse(MqttVersion version, String code) {
        Connack connack = broker.newClient().connect(connect(version, "c-1", "carol")
                .will("elsewhere/status", "gone", 0, 0).build());

        assertThat(connack.reasonCode()).isEqualTo(Integer.decode(code));
    }

    @Test
    void capsKeepAliveAndSessionExpiryAndSaysSo() {
        MqttSettings settings = withLimits(MqttSettings.DEFAULTS, 100, 3600);
        TestBroker limited = new TestBroker(settings, 10);

        Connack zero = limited.newClient().connect(connect(V5, "a", "alice").keepAlive(0).sessionExpiry(7200).build());
        Connack high = limited.newClient().connect(connect(V5, "b", "bob").keepAlive(500).build());
        Connack fine = limited.newClient().connect(connect(V5, "c", "carol").keepAlive(30).sessionExpiry(60).build());

        assertThat(zero.serverKeepAlive()).isEqualTo(100);
        assertThat(zero.sessionExpiryInterval()).isEqualTo(3600L);
        assertThat(high.serverKeepAlive()).isEqualTo(100);
        assertThat(fine.serverKeepAlive()).isNull();
        assertThat(fine.sessionExpiryInterval()).isNull();
        assertThat(limited.context.sessions().find("a").sessionExpirySeconds()).isEqualTo(3600);
    }

    @Test
    void mqtt311PersistentSessionsLiveForTheMaximumExpiry() {
        broker.newClient().connect(connect(V3_1_1, "dev-1", "alice").cleanStart(false).build());

        assertThat(broker.context.sessions().find("dev-1").sessionExpirySeconds())
                .isEqualTo(MqttSettings.DEFAULTS.maximumSessionExpirySeconds());
    }

    @Test
    void refusesEnhancedAuthenticationWithBadAuthenticationMethod() {
        Connack connack = broker.newClient().connect(connect(V5, "a", "alice").authenticationMethod("SCRAM").build());

        assertThat(connack.reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
    }

    @Test
    void closesWhenTheFirstPacketIsNotConnect() {
        TestClient client = broker.newClient();

        client.send(Pingreq.INSTANCE);

        assertThat(client.received()).isEmpty();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void secondConnectIsAProtocolError() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "a", "alice").build());

        client.send(connect(V5, "a", "alice").build());

        assertThat(client.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void authPacketIsAProtocolError() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "a", "alice").build());

        client.send(new Auth(ReasonCode.RE_AUTHENTICATE, "X", null, null, List.of()));

        assertThat(client.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void unsupportedProtocolLevelGetsReturnCode1() {
        TestClient client = broker.newClient();

        client.send(new MalformedPacket(null, PacketType.CONNECT, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                "protocol level 6"));

        assertThat(client.next(Connack.class).reasonCode()).isEqualTo(ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void malformedPacketDisconnectsOnlyThatConnection() {
        TestClient bad = broker.newClient();
        TestClient good = broker.newClient();
        bad.connect(connect(V5, "bad", "alice").build());
        good.connect(connect(V5, "good", "bob").build());

        bad.send(new MalformedPacket(V5, PacketType.PUBLISH, ReasonCode.MALFORMED_PACKET, "bad UTF-8 in topic"));
        good.send(Pingreq.INSTANCE);

        Disconnect disconnect = bad.next(Disconnect.class);
        assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
        assertThat(disconnect.reasonString()).isEqualTo("bad UTF-8 in topic");
        assertThat(bad.isOpen()).isFalse();
        assertThat(good.next(Pingresp.class)).isNotNull();
        assertThat(good.isOpen()).isTrue();
    }

    @Test
    void malformedPacketClosesMqtt311WithoutAnswer() {
        TestClient client = broker.newClient();
        client.connect(connect(V3_1_1, "a", "alice").build());

        client.send(new MalformedPacket(V3_1_1, PacketType.PUBLISH, ReasonCode.MALFORMED_PACKET, "bad"));

        assertThat(client.received()).isEmpty();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void malformedConnectGetsConnack0x81InMqtt5() {
        TestClient client = broker.newClient();

        client.send(new MalformedPacket(V5, PacketType.CONNECT, ReasonCode.MALFORMED_PACKET, "bad flags"));

        List<MqttPacket> packets = client.received();
        assertThat(packets).hasSize(1);
        assertThat(((Connack) packets.get(0)).reasonCode()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @Test
    void closesConnectionThatSendsNoConnectInTime() {
        TestClient client = broker.newClient();

        client.channel.advanceTimeBy(MqttSettings.DEFAULTS.connectTimeout().plusSeconds(1).toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        client.channel.runScheduledPendingTasks();

        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void pingreqGetsPingresp() {
        TestClient client = broker.newClient();
        client.connect(connect(V3_1_1, "a", "alice").build());

        client.send(Pingreq.INSTANCE);

        assertThat(client.next(Pingresp.class)).isNotNull();
    }

    static MqttSettings withLimits(MqttSettings s, int maximumKeepAlive, long maximumSessionExpiry) {
        return new MqttSettings(s.maximumPacketSize(), s.maximumTopicLength(), s.maximumTopicLevels(),
                s.maximumSubscriptionsPerSession(), s.maximumFiltersPerSubscribe(), maximumKeepAlive,
                Duration.ofSeconds(10), maximumSessionExpiry, s.receiveMaximum(), s.maximumOutboundInflight(),
                s.topicAliasMaximum(), s.maximumQueuedMessages(), s.maximumQueuedBytes(), s.queueOverflowPolicy(),
                s.slowSubscriberGracePeriod(), s.maximumRetainedMessageSize(), s.maximumRetainedMessages(),
                s.sharedSubscriptionsEnabled());
    }
}
