package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.WillBehaviour;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;

/** Will messages on MQTT 5.0 connections; the tests both versions share are in {@link WillBehaviour}. */
class WillIT extends WillBehaviour {
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

    /** DISCONNECT 0x04 Disconnect with Will Message keeps the Will, which is then published (3.14.2.1). */
    @Test
    void publishesTheWillOnDisconnectWithWillMessage() throws Exception {
        String topic = unique("will/asked");
        String clientId = unique("asks");
        try (RawMqttClient watcher = subscriber(topic, 1);
             RawMqttClient client = broker.connect(withWill(clientId, topic, false, 0))) {
            client.send(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, null));
            client.expectClosed(WAIT);

            expectPublish(watcher, topic, "gone:" + clientId);
        }
    }

    /** The Will waits for its Will Delay Interval before it is published (3.1.3.2.2). */
    @Test
    void delaysTheWillByItsDelayInterval() throws Exception {
        String topic = unique("will/delayed");
        String clientId = unique("delays");
        try (RawMqttClient watcher = subscriber(topic, 1)) {
            RawMqttClient client = broker.connect(persistentWithWill(clientId, topic, 1));
            client.close();

            watcher.expectNothing(Duration.ofMillis(700));
            expectPublish(watcher, topic, "gone:" + clientId);
        }
    }

    /** A session resumed within the Will Delay Interval cancels the Will [MQTT-3.1.3-9]. */
    @Test
    void cancelsTheDelayedWillWhenTheSessionResumes() throws Exception {
        String topic = unique("will/cancelled");
        String clientId = unique("returns");
        try (RawMqttClient watcher = subscriber(topic, 1)) {
            RawMqttClient client = broker.connect(persistentWithWill(clientId, topic, 1));
            client.close();
            try (RawMqttClient back = broker.connect(Packets.connect(MqttVersion.V5, clientId).cleanStart(false)
                    .sessionExpiry(60).build())) {
                watcher.expectNothing(Duration.ofMillis(1_500));
            }
        }
    }

    /**
     * A session that ends before the Will Delay Interval publishes the Will when it ends: the effective delay
     * is the smaller of the two (3.1.3.2.2).
     */
    @Test
    void publishesTheWillWhenTheSessionEndsBeforeTheDelay() throws Exception {
        String topic = unique("will/session-end");
        String clientId = unique("expires");
        try (RawMqttClient watcher = subscriber(topic, 1)) {
            RawMqttClient client = broker.connect(Packets.connect(MqttVersion.V5, clientId).sessionExpiry(1)
                    .will(topic, "gone:" + clientId, 1, false, 60).build());
            client.close();

            expectPublish(watcher, topic, "gone:" + clientId);
        }
    }

    private static Connect persistentWithWill(String clientId, String topic, long delaySeconds) {
        return Packets.connect(MqttVersion.V5, clientId).sessionExpiry(60)
                .will(topic, "gone:" + clientId, 1, false, delaySeconds).build();
    }
}
