package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.SharedSubscriptionsBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/**
 * Shared subscriptions on MQTT 3.1.1 connections; the tests both versions share are in
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
        return MqttVersion.V3_1_1;
    }

    @Override
    protected ConformanceBroker broker() {
        return broker;
    }
}
