package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.SessionsBehaviour;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** Sessions on MQTT 5.0 connections (the shared tests are in {@link SessionsBehaviour}). */
class SessionsIT extends SessionsBehaviour {
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

    /**
     * A queued message whose Message Expiry Interval passed is not delivered [MQTT-3.3.2-5]; one still alive
     * is forwarded with the interval less the time it waited [MQTT-3.3.2-6].
     */
    @Test
    void forwardsTheRemainingMessageExpiryAndDropsExpiredMessages() throws Exception {
        String clientId = unique("expiry");
        String topic = unique("expiry");
        try (RawMqttClient subscriber = broker.connect(persistent(clientId))) {
            subscriber.send(Packets.subscribe(1, topic, 1));
            subscriber.expectPacket(Suback.class, WAIT);
            subscriber.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
            subscriber.expectClosed(WAIT);
        }
        try (RawMqttClient publisher = connect(unique("pub"))) {
            publisher.send(Packets.publish(topic, 1, false, 1, "short-lived", Packets.expiry(1)));
            publisher.send(Packets.publish(topic, 1, false, 2, "long-lived", Packets.expiry(10)));
            publisher.expectPacket(Puback.class, WAIT);
            publisher.expectPacket(Puback.class, WAIT);
        }

        Thread.sleep(2_100);

        try (RawMqttClient subscriber = broker.open("client-1", MqttVersion.V5)) {
            assertThat(subscriber.connect(persistent(clientId), WAIT).sessionPresent()).isTrue();
            Publish delivered = expectPublish(subscriber, topic, "long-lived");
            assertThat(delivered.properties().messageExpiryInterval()).isBetween(1L, 8L);
            subscriber.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
            subscriber.expectNothing(QUIET);
        }
    }

    /**
     * The session outlives the connection by its Session Expiry Interval and no longer [MQTT-3.1.2-23]; with
     * no interval it ends with the connection (section 3.1.2.11.2).
     */
    @Test
    void endsTheSessionWhenItsExpiryIntervalPasses() throws Exception {
        String shortLived = unique("expires");
        String noExpiry = unique("no-expiry");
        try (RawMqttClient client = broker.connect(Packets.connect(MqttVersion.V5, shortLived).cleanStart(false)
                .sessionExpiry(1).build());
             RawMqttClient other = broker.connect(Packets.connect(MqttVersion.V5, noExpiry).cleanStart(false)
                     .build())) {
            client.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
            other.send(Disconnect.of(ReasonCode.NORMAL_DISCONNECTION, null));
            client.expectClosed(WAIT);
            other.expectClosed(WAIT);
        }

        try (RawMqttClient other = broker.open("client-1", MqttVersion.V5)) {
            assertThat(other.connect(persistent(noExpiry), WAIT).sessionPresent()).isFalse();
        }
        Thread.sleep(1_500);
        try (RawMqttClient client = broker.open("client-1", MqttVersion.V5)) {
            assertThat(client.connect(persistent(shortLived), WAIT).sessionPresent()).isFalse();
        }
    }
}
