package io.portcullis.conformance.v5;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.KeepAliveBehaviour;
import io.portcullis.conformance.Packets;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
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

/** Keep alive on MQTT 5.0 connections; the tests both versions share are in {@link KeepAliveBehaviour}. */
class KeepAliveIT extends KeepAliveBehaviour {
    @TempDir
    static Path directory;
    static ConformanceBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = ConformanceBroker.start(directory, Map.of("maximumKeepAliveSeconds", MAXIMUM_KEEP_ALIVE));
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

    /** MQTT 5 names the cause before closing: DISCONNECT 0x8D Keep Alive timeout (3.14.2.1). */
    @Override
    protected void expectKeepAliveTimeout(RawMqttClient client) {
        Disconnect disconnect = client.expectPacket(Disconnect.class, WAIT);
        assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT);
        client.expectClosed(WAIT);
    }

    /** The capped value is announced as Server Keep Alive, which the client must use [MQTT-3.2.2-21]. */
    @Test
    void announcesTheCapAsServerKeepAlive() throws Exception {
        try (RawMqttClient client = broker.open("client-1", MqttVersion.V5)) {
            Connack connack = client.connect(Packets.connect(MqttVersion.V5, unique("capped")).keepAlive(60).build(),
                    WAIT);

            assertThat(connack.serverKeepAlive()).isEqualTo(MAXIMUM_KEEP_ALIVE);
        }
    }
}
