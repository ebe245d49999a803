package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.RetainedBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** Retained messages on MQTT 5.0 connections; the tests both versions share are in {@link RetainedBehaviour}. */
class RetainedIT extends RetainedBehaviour {
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

    private RawMqttClient subscribedWith(String filter, boolean retainAsPublished, int retainHandling)
            throws Exception {
        RawMqttClient client = connect(unique("sub"));
        subscribeAgain(client, filter, retainAsPublished, retainHandling);
        return client;
    }

    private static void subscribeAgain(RawMqttClient client, String filter, boolean retainAsPublished,
                                       int retainHandling) throws Exception {
        client.send(new Subscribe(1, List.of(new Subscribe.Subscription(filter, 1, false,
                retainAsPublished, retainHandling)), 0, List.of()));
        assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(1);
    }

    /** Retain As Published 1 keeps RETAIN 1 on live delivery [MQTT-3.3.1-13]; 0 clears it [MQTT-3.3.1-12]. */
    @Test
    void keepsTheRetainFlagForRetainAsPublished() throws Exception {
        String topic = unique("retained/rap");
        try (RawMqttClient asPublished = subscribedWith(topic, true, 2);
             RawMqttClient cleared = subscribedWith(topic, false, 2);
             RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, topic, 1, "flagged");

            assertThat(expectPublish(asPublished, topic, "flagged").retain()).isTrue();
            assertThat(expectPublish(cleared, topic, "flagged").retain()).isFalse();
        }
    }

    /**
     * Retain Handling 0 sends retained messages at every SUBSCRIBE [MQTT-3.3.1-9], 1 only when the
     * subscription is new [MQTT-3.3.1-10], 2 never [MQTT-3.3.1-11].
     */
    @Test
    void sendsRetainedMessagesAsRetainHandlingSays() throws Exception {
        String topic = unique("retained/rh");
        try (RawMqttClient publisher = connect(unique("pub"))) {
            retain(publisher, topic, 1, "state");
        }

        try (RawMqttClient always = subscribedWith(topic, false, 0);
             RawMqttClient ifNew = subscribedWith(topic, false, 1);
             RawMqttClient never = subscribedWith(topic, false, 2)) {
            assertThat(expectPublish(always, topic, "state").retain()).isTrue();
            assertThat(expectPublish(ifNew, topic, "state").retain()).isTrue();
            never.expectNothing(QUIET);

            subscribeAgain(always, topic, false, 0);
            subscribeAgain(ifNew, topic, false, 1);
            subscribeAgain(never, topic, false, 2);
            expectPublish(always, topic, "state");
            ifNew.expectNothing(QUIET);
            never.expectNothing(QUIET);
        }
    }
}
