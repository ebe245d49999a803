package io.portcullis.broker;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.portcullis.testsupport.RunningBroker;

import java.util.ArrayList;
import java.util.List;

/**
 * The HiveMQ clients one test connected (clean start, over mutual TLS with a dev certificate), so the
 * test's {@code @AfterEach} can disconnect them all. Confined to the test's thread.
 */
final class HiveMqConnections implements AutoCloseable {
    private final List<Runnable> disconnects = new ArrayList<>();

    Mqtt5BlockingClient connected5(RunningBroker broker, String certificateName, String clientId) throws Exception {
        Mqtt5BlockingClient client = HiveMqClients.mqtt5(broker, certificateName, clientId);
        client.connectWith().cleanStart(true).send();
        disconnects.add(client::disconnect);
        return client;
    }

    Mqtt3BlockingClient connected3(RunningBroker broker, String certificateName, String clientId) throws Exception {
        Mqtt3BlockingClient client = HiveMqClients.mqtt3(broker, certificateName, clientId);
        client.connectWith().cleanSession(true).send();
        disconnects.add(client::disconnect);
        return client;
    }

    /** Disconnects every client still connected; one the test or the broker already closed is skipped. */
    @Override
    public void close() {
        for (Runnable disconnect : disconnects) {
            try {
                disconnect.run();
            } catch (RuntimeException alreadyDisconnected) {
                // Nothing left to release.
            }
        }
        disconnects.clear();
    }
}
