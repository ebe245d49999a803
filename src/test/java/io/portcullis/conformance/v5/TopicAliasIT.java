package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static io.portcullis.conformance.ConformanceBroker.WAIT;
import static io.portcullis.conformance.Packets.bytes;
import static io.portcullis.conformance.Packets.frame;
import static io.portcullis.conformance.Packets.stringField;
import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5.0 Topic Alias, client to broker (section 3.3.2.3.4), with the broker's Topic Alias Maximum. */
class TopicAliasIT {
    private static final MqttVersion V5 = MqttVersion.V5;
    private static final int TOPIC_ALIAS_MAXIMUM = 4;

    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of("topicAliasMaximum", TOPIC_ALIAS_MAXIMUM));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Publish aliased(String topic, int alias, int packetId, String payload) {
        return Packets.publish(topic, 1, false, packetId, payload, PublishProperties.NONE.withTopicAlias(alias));
    }

    /**
     * A PUBLISH with a topic and an alias sets the mapping; later ones with an empty topic use it, and a
     * new topic on the same alias replaces it (3.3.2.3.4). The broker delivers by topic, with no alias, to
     * a client that allowed none [MQTT-3.1.2-26].
     */
    @Test
    void resolvesAndRemapsTopicAliases() throws Exception {
        String first = unique("alias/a");
        String second = unique("alias/b");
        try (RawMqttClient subscriber = broker.connect(Packets.connect(V5, unique("sub")).build());
             RawMqttClient publisher = broker.connect(Packets.connect(V5, unique("pub")).build())) {
            subscriber.send(Packets.subscribe(1, "alias/#", 0));
            subscriber.expectPacket(Suback.class, WAIT);

            publisher.send(aliased(first, 2, 1, "set"));
            publisher.send(aliased("", 2, 2, "used"));
            publisher.send(aliased(second, 2, 3, "remapped"));
            publisher.send(aliased("", 2, 4, "used again"));
            for (int i = 1; i <= 4; i++) {
                assertThat(publisher.expectPacket(Puback.class, WAIT).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            }

            String[][] expected = {{first, "set"}, {first, "used"}, {second, "remapped"}, {second, "used again"}};
            for (String[] each : expected) {
                Publish delivered = subscriber.expectPacket(Publish.class, WAIT);
                assertThat(delivered.topic()).isEqualTo(each[0]);
                assertThat(Packets.text(delivered)).isEqualTo(each[1]);
                assertThat(delivered.properties().topicAlias()).isZero();
            }
        }
    }

    /**
     * Topic Alias 0 [MQTT-3.3.2-8] and one above the Topic Alias Maximum [MQTT-3.3.2-9] are answered with
     * DISCONNECT 0x94 Topic Alias invalid; an alias never set, with an empty topic, is a Protocol Error.
     */
    @ParameterizedTest(name = "alias {0} with topic \"{1}\"")
    @CsvSource({"0, a, 148", "5, a, 148", "65535, a, 148", "3, '', 130"})
    void disconnectsOnAnInvalidTopicAlias(int alias, String topic, int reasonCode) throws Exception {
        try (RawMqttClient bad = broker.connect(Packets.connect(V5, unique("bad-alias")).build())) {
            // Hand-made: the encoder treats alias 0 as absent. Properties: Topic Alias (0x23), two bytes.
            bad.sendRaw(frame(0x30, stringField(topic), bytes(3, 0x23, alias >>> 8, alias & 0xFF), bytes('x')));

            Disconnect disconnect = bad.expectPacket(Disconnect.class, WAIT);
            assertThat(disconnect.reasonCode()).isEqualTo(reasonCode);
            bad.expectClosed(WAIT);
        }
        broker.assertStillServes(V5);
    }
}
