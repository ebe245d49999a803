package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.SubscribeBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.QUIET;
import static io.portcullis.conformance.ConformanceBroker.WAIT;

/**
 * MQTT 3.1.1 sections 3.8 to 3.11 and the denial of reserved topics; the tests both versions share are in
 * {@link SubscribeBehaviour}.
 */
class SubscribeSection3_8IT extends SubscribeBehaviour {
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

    @Override
    protected int refusedSubackCode() {
        return ReasonCode.V3_SUBACK_FAILURE;
    }

    /**
     * MQTT 3.1.1 has no negative acknowledgement, so a publish to a reserved topic closes the connection with
     * no answer, at any QoS (SPEC 3.5); nothing reaches a {@code #} subscriber.
     */
    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void closesTheConnectionOnAPublishToADollarTopic(int qos) throws Exception {
        try (RawMqttClient all = subscriber("#", 1); RawMqttClient client = connect(unique("dollar-pub"))) {
            client.send(Packets.publish("$SYS/x", qos, qos == 0 ? 0 : 8, "not allowed"));

            client.expectClosed(WAIT);
            all.expectNothing(QUIET);
        }
        broker.assertStillServes(MqttVersion.V3_1_1);
    }
}
