package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.conformance.QosFlowsBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
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

/** Section 4.3 QoS flows on MQTT 5.0 connections (the shared tests are in {@link QosFlowsBehaviour}). */
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
        return MqttVersion.V5;
    }

    @Override
    protected ConformanceBroker broker() {
        return broker;
    }

    /** PUBREL for a packet id the broker does not hold: PUBCOMP 0x92 Packet Identifier not found (3.7.2.1). */
    @Test
    void completesAnUnknownPubrelWithPacketIdentifierNotFound() throws Exception {
        try (RawMqttClient client = connect(unique("pubrel"))) {
            client.send(new Pubrel(99, ReasonCode.SUCCESS));

            Pubcomp pubcomp = client.expectPacket(Pubcomp.class, WAIT);
            assertThat(pubcomp.packetId()).isEqualTo(99);
            assertThat(pubcomp.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND);
        }
    }

    /** A QoS 1 message nobody subscribed to is acknowledged with 0x10 No matching subscribers (3.4.2.1). */
    @Test
    void acknowledgesAnUnmatchedMessageWithNoMatchingSubscribers() throws Exception {
        try (RawMqttClient client = connect(unique("lonely"))) {
            client.send(Packets.publish(unique("nobody"), 1, 5, "x"));

            Puback puback = client.expectPacket(Puback.class, WAIT);
            assertThat(puback.packetId()).isEqualTo(5);
            assertThat(puback.reasonCode()).isEqualTo(ReasonCode.NO_MATCHING_SUBSCRIBERS);
        }
    }
}
