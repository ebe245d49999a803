package io.portcullis.protocol;

import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.Pubrec;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.Packets.subscribe;
import static io.portcullis.protocol.Packets.text;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class SessionLifecycleTest {
    private final TestBroker broker = new TestBroker();

    private TestClient watcher() {
        TestClient watcher = broker.newClient();
        watcher.connect(connect(V5, "watcher", "bob").build());
        watcher.send(subscribe(1, "status/#", 1));
        assertThat(watcher.next(Suback.class)).isNotNull();
        return watcher;
    }

    private static void advance(TestClient client, long seconds) {
        client.channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        client.channel.runScheduledPendingTasks();
        client.channel.runPendingTasks();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "network loss,          true",
            "normal DISCONNECT,     false",
            "DISCONNECT with Will,  true",
            "protocol error,        true",
    })
    void publishesTheWillOnlyOnAbnormalClose(String how, boolean willExpected) {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").will("status/dev", "offline", 1, 0).build());

        switch (how) {
            case "network loss" -> client.dropConnection();
            case "normal DISCONNECT" -> client.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
            case "DISCONNECT with Will" -> client.send(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null));
            default -> client.send(connect(V5, "dev", "alice").build());
        }

        List<MqttPacket> seen = watcher.received();
        assertThat(seen).hasSize(willExpected ? 1 : 0);
        if (willExpected) {
            assertThat(text((Publish) seen.get(0))).isEqualTo("offline");
        }
    }

    @Test
    void mqtt311NormalDisconnectDiscardsTheWill() {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V3_1_1, "dev", "alice").will("status/dev", "offline", 0, 0).build());

        client.send(Disconnect.of(0, null));

        assertThat(watcher.received()).isEmpty();
    }

    @Test
    void delaysTheWillAndCancelsItWhenTheSessionResumes() {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600)
                .will("status/dev", "offline", 0, 30).build());
        client.dropConnection();

        advance(client, 10);
        assertThat(watcher.received()).isEmpty();
        broker.newClient().connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());
        advance(client, 60);

        assertThat(watcher.received()).isEmpty();
    }

    @Test
    void sendsTheDelayedWillWhenTheDelayRunsOut() {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600)
                .will("status/dev", "offline", 0, 30).build());
        client.dropConnection();

        advance(client, 29);
        assertThat(watcher.received()).isEmpty();
        advance(client, 2);

        assertThat(watcher.received()).hasSize(1);
    }

    @Test
    void willDelayIsCutShortBySessionExpiry() {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(5)
                .will("status/dev", "offline", 0, 300).build());
        client.dropConnection();

        advance(client, 6);

        assertThat(watcher.received()).hasSize(1);
        assertThat(broker.context.sessions().find("dev")).isNull();
    }

    @Test
    void takeoverPublishesTheWillOfTheOldConnectionWithoutDelay() {
        TestClient watcher = watcher();
        TestClient first = broker.newClient();
        first.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600)
                .will("status/dev", "offline", 0, 0).build());

        broker.newClient().connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());

        assertThat(watcher.received()).hasSize(1);
    }

    @Test
    void offlineSessionExpiresWithItsSubscriptions() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(60).build());
        client.send(subscribe(1, "a/#", 1));
        client.dropConnection();
        assertThat(broker.context.subscriptions().subscriptionCount()).isEqualTo(1);

        advance(client, 61);

        assertThat(broker.context.sessions().find("dev")).isNull();
        assertThat(broker.context.subscriptions().subscriptionCount()).isZero();
        assertThat(broker.context.sessionMetrics().sessionsExpired()).isEqualTo(1);
    }

    @Test
    void sessionWithExpiryZeroEndsAtDisconnect() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").cleanStart(false).build());
        client.send(subscribe(1, "a/#", 1));

        client.send(Disconnect.of(0, null));

        assertThat(broker.context.sessions().find("dev")).isNull();
        assertThat(broker.context.subscriptions().subscriptionCount()).isZero();
    }

    @Test
    void disconnectMayShortenButNotStartTheSessionExpiry() {
        TestClient keeps = broker.newClient();
        keeps.connect(connect(V5, "keeps", "alice").cleanStart(false).sessionExpiry(600).build());
        keeps.send(new Disconnect(0, 0L, null, List.of(), null));
        TestClient zero = broker.newClient();
        zero.connect(connect(V5, "zero", "bob").build());

        zero.send(new Disconnect(0, 60L, null, List.of(), null));

        assertThat(broker.context.sessions().find("keeps")).isNull();
        assertThat(zero.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
    }

    @Test
    void resendsUnacknowledgedMessagesWithDupBeforeNewOnes() {
        TestClient sub = broker.newClient();
        sub.connect(connect(V5, "sub", "bob").cleanStart(false).sessionExpiry(600).build());
        sub.send(subscribe(1, "q/#", 2));
        sub.received();
        TestClient pub = broker.newClient();
        pub.connect(connect(V5, "pub", "alice").build());
        pub.send(publish("q/1", 1, 1, "one")).send(publish("q/2", 2, 2, "two"));
        List<MqttPacket> firstTry = sub.received();
        Publish two = (Publish) firstTry.get(1);
        sub.send(new Pubrec(two.packetId(), ReasonCode.SUCCESS));
        assertThat(sub.next(Pubrel.class)).isNotNull();
        sub.dropConnection();
        pub.send(publish("q/3", 1, 3, "three"));

        TestClient back = broker.newClient();
        back.connect(connect(V5, "sub", "bob").cleanStart(false).sessionExpiry(600).build());

        List<MqttPacket> resent = back.received();
        assertThat(resent).hasSize(3);
        Publish one = (Publish) resent.get(0);
        assertThat(one.dup()).isTrue();
        assertThat(one.packetId()).isEqualTo(((Publish) firstTry.get(0)).packetId());
        assertThat(((Pubrel) resent.get(1)).packetId()).isEqualTo(two.packetId());
        Publish three = (Publish) resent.get(2);
        assertThat(three.dup()).isFalse();
        assertThat(text(three)).isEqualTo("three");
    }

    @Test
    void mqtt311PersistentSessionQueuesQos1ButNotQos0WhileOffline() {
        TestClient sub = broker.newClient();
        sub.connect(connect(V3_1_1, "sub", "bob").cleanStart(false).build());
        sub.send(subscribe(1, "q/#", 1));
        sub.received();
        sub.dropConnection();
        TestClient pub = broker.newClient();
        pub.connect(connect(V3_1_1, "pub", "alice").build());

        pub.send(publish("q/0", 0, 0, "zero")).send(publish("q/1", 1, 1, "one"));
        TestClient back = broker.newClient();
        var connack = back.connect(connect(V3_1_1, "sub", "bob").cleanStart(false).build());

        assertThat(connack.sessionPresent()).isTrue();
        assertThat(back.received()).extracting(p -> text((Publish) p)).containsExactly("one");
    }

    @Test
    void closesAfterOneAndAHalfKeepAlivesWithoutAPacket() {
        TestClient watcher = watcher();
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").keepAlive(10).will("status/dev", "offline", 0, 0).build());

        advance(client, 14);
        client.send(Pingreq.INSTANCE);
        assertThat(client.next(Pingresp.class)).isNotNull();
        advance(client, 14);
        assertThat(client.isOpen()).isTrue();
        advance(client, 2);

        assertThat(client.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
        assertThat(client.isOpen()).isFalse();
        assertThat(watcher.received()).hasSize(1);
    }

    @Test
    void disconnectsWhenTheClientCertificateExpires() {
        broker.authenticator.certificateNotAfter = Instant.ofEpochMilli(broker.clock.millis() + 5_000);
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").keepAlive(0).build());

        advance(client, 6);

        Disconnect disconnect = client.next(Disconnect.class);
        assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(disconnect.reasonString()).isEqualTo("client certificate expired");
    }

    @Test
    void sessionMovesToTheNewConnectionOnTakeover() {
        TestClient first = broker.newClient();
        first.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());
        first.send(subscribe(1, "t", 1));
        first.received();
        TestClient second = broker.newClient();
        second.connect(connect(V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());

        TestClient pub = broker.newClient();
        pub.connect(connect(V5, "pub", "bob").build());
        pub.send(publish("t", 1, 1, "after"));

        Session session = broker.context.sessions().find("dev");
        assertThat(session.executor()).isSameAs(second.channel.eventLoop());
        assertThat(second.received()).extracting(p -> text((Publish) p)).containsExactly("after");
    }
}
