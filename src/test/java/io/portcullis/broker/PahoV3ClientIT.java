package io.portcullis.broker;

import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Eclipse Paho's MQTT 3.1.1 client against a real broker over mutual TLS. */
class PahoV3ClientIT {
    @TempDir
    static Path directory;
    static RunningBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private MqttClient connect(String certificateName, String clientId, String username) throws Exception {
        MqttClient client = new MqttClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(broker.clientSslContext(certificateName).getSocketFactory());
        // Paho's default retries a refused 3.1.1 CONNECT as MQTT 3.1, which would hide the real answer.
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        if (username != null) {
            options.setUserName(username);
        }
        client.connect(options);
        return client;
    }

    @Test
    void deliversAtEveryQosBetweenTwoCertificates() throws Exception {
        MqttClient subscriber = connect("client-2", "paho3-sub", null);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.subscribe("paho3/#", 2, (topic, message) ->
                received.add(topic + " q" + message.getQos() + " "
                        + new String(message.getPayload(), StandardCharsets.UTF_8)));
        MqttClient publisher = connect("client-1", "paho3-pub", null);

        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("paho3/q" + qos, ("m" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
        }

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("paho3/q0 q0 m0");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("paho3/q1 q1 m1");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("paho3/q2 q2 m2");
        publisher.disconnect();
        subscriber.disconnect();
    }

    @Test
    void refusesUsernameThatDoesNotMatchTheCertificate() {
        assertThatThrownBy(() -> connect("client-1", "paho3-imposter", "client-2"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    @Test
    void acceptsSelfSignedClientRegisteredByThumbprint() throws Exception {
        MqttClient client = connect("selfsigned-1", "paho3-selfsigned", null);
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
    }
}
