package io.portcullis.broker;

import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An Eclipse Paho MQTT 5 client for integration tests: connects with a dev client's certificate,
 * records received messages ({@code topic payload}) and the server's DISCONNECT reason code, and exposes
 * the reason codes of PUBACK/PUBREC and SUBACK. Paho calls back on its own threads.
 */
final class PahoV5Client implements MqttCallback, AutoCloseable {
    static final long TIMEOUT_MS = 10_000;

    final MqttAsyncClient client;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    /** The server's DISCONNECT reason code, or -1 when the connection dropped without one. */
    final CompletableFuture<Integer> disconnected = new CompletableFuture<>();

    private PahoV5Client(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects with the certificate of {@code certificateName}; throws the CONNACK refusal as MqttException. */
    static PahoV5Client connect(RunningBroker broker, String certificateName, String clientId,
                                String willTopic) throws Exception {
        MqttAsyncClient paho = new MqttAsyncClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        PahoV5Client wrapper = new PahoV5Client(paho);
        paho.setCallback(wrapper);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(broker.clientSslContext(certificateName).getSocketFactory());
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        if (willTopic != null) {
            options.setWill(willTopic, new MqttMessage("gone".getBytes(StandardCharsets.UTF_8), 1, false, null));
        }
        try {
            paho.connect(options).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            paho.close(true);
            throw e;
        }
        return wrapper;
    }

    static PahoV5Client connect(RunningBroker broker, String certificateName, String clientId) throws Exception {
        return connect(broker, certificateName, clientId, null);
    }

    /** Publishes and returns the PUBACK/PUBREC reason code (QoS 1/2); QoS 0 returns 0 once written. */
    int publish(String topic, String payload, int qos) throws MqttException {
        IMqttToken token = client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        try {
            token.waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            // Paho fails the token on a negative acknowledgement and keeps its code.
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** Subscribes to every filter at QoS 1 in one SUBSCRIBE and returns the SUBACK reason codes in order. */
    int[] subscribe(String... filters) throws MqttException {
        MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subscriptions[i] = new MqttSubscription(filters[i], 1);
        }
        IMqttToken token = client.subscribe(subscriptions);
        try {
            token.waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            if (token.getReasonCodes() == null) {
                throw e;
            }
        }
        return token.getReasonCodes();
    }

    /** The next message received within the timeout, as {@code topic payload}, or null. */
    String next() throws InterruptedException {
        return received.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnected.complete(response.getReturnCode());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
            client.close(true);
        } catch (MqttException e) {
            // Already gone; nothing to release.
        }
    }
}
