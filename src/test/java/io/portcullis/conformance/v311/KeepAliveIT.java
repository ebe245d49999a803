package io.portcullis.conformance.v311;

import io.portcullis.conformance.ConformanceBroker;
import io.portcullis.conformance.KeepAliveBehaviour;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.portcullis.conformance.ConformanceBroker.WAIT;

/** Keep alive on MQTT 3.1.1 connections; the tests both versions share are in {@link KeepAliveBehaviour}. */
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
        return MqttVersion.V3_1_1;
    }

    @Override
    protected ConformanceBroker broker() {
        return broker;
    }

    /** MQTT 3.1.1 has no server DISCONNECT: the connection is closed with no packet [MQTT-3.1.2-24]. */
    @Override
    protected void expectKeepAliveTimeout(RawMqttClient client) {
        client.expectClosed(WAIT);
    }
}
