package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.QosFlowsBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pubcomp;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/** Section 4.3 QoS flows on MQTT 3.1.1 connections (the shared tests are in {@link QosFlowsBehaviour}). */
class QosFlowsSection4_3IT extends QosFlowsBehaviour {
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

    /** PUBREL is always answered with PUBCOMP of the same packet id [MQTT-4.3.3-2], even an unknown one. */
    @Test
    void completesAnUnknownPubrel() throws Exception {
        try (RawMqttClient client = connect(unique("pubrel"))) {
            client.send(new Pubrel(99, ReasonCode.SUCCESS));

            assertThat(client.expectPacket(Pubcomp.class, WAIT).packetId()).isEqualTo(99);
            client.expectNothing(ConformanceBroker.QUIET);
        }
    }
}
