package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.SharedSubscriptionsBehaviour;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared subscriptions on MQTT 5.0 connections; the tests both versions share are in
 * {@link SharedSubscriptionsBehaviour}.
 */
class SharedSubscriptionsIT extends SharedSubscriptionsBehaviour {
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

    /** CONNACK says shared subscriptions are available (3.2.2.3.13). */
    @Test
    void announcesSharedSubscriptionsInConnack() throws Exception {
        try (RawMqttClient client = broker.open("client-1", MqttVersion.V5)) {
            Connack connack = client.connect(Packets.connect(MqttVersion.V5, unique("shared-connack")).build(), WAIT);

            assertThat(connack.sharedSubscriptionAvailable()).isNotEqualTo(Boolean.FALSE);
        }
    }

    /** No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4]: DISCONNECT 0x82, then close. */
    @Test
    void refusesNoLocalOnASharedSubscription() throws Exception {
        try (RawMqttClient client = connect(unique("shared-nolocal"))) {
            client.send(new Subscribe(1, List.of(new Subscribe.Subscription("$share/g/" + unique("t"), 1, true,
                    false, 0)), 0, List.of()));

            assertThat(client.expectPacket(Disconnect.class, WAIT).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR);
            client.expectClosed(WAIT);
        }
        broker.assertStillServes(MqttVersion.V5);
    }
}
