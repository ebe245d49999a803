package io.portcullis.testsupport;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * HiveMQ MQTT clients for integration tests: not yet connected, over mutual TLS with a dev client
 * certificate, each with a future that completes when the client is disconnected (by the broker or itself).
 * Remembers the clients it built so a test's {@code @AfterEach} can disconnect those still connected. Confined
 * to the test's thread.
 */
public final class MqttTestClients implements AutoCloseable {
    private static final char[] STORE_PASSWORD = "ops-it".toCharArray();

    private final RunningBroker broker;
    private final List<Runnable> disconnects = new ArrayList<>();

    public MqttTestClients(RunningBroker broker) {
        this.broker = broker;
    }

    /** A client and a future completed when it is disconnected, with the cause (a DISCONNECT from the broker). */
    public record Client5(Mqtt5BlockingClient client, CompletableFuture<MqttClientDisconnectedContext> disconnected) {
    }

    public Client5 mqtt5(String certificateName, String clientId) throws Exception {
        KeyManagerFactory keys = keys(certificateName);
        TrustManagerFactory trust = trust();
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(keys).trustManagerFactory(trust).applySslConfig()
                .addDisconnectedListener(disconnected::complete)
                .buildBlocking();
        disconnects.add(client::disconnect);
        return new Client5(client, disconnected);
    }

    /** An MQTT 5 client over secure WebSockets to the broker's WSS listener at {@code path}. */
    public Client5 mqtt5WebSocket(String certificateName, String clientId, String path) throws Exception {
        CompletableFuture<MqttClientDisconnectedContext> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("localhost").serverPort(broker.webSocketPort())
                .sslConfig().keyManagerFactory(keys(certificateName)).trustManagerFactory(trust()).applySslConfig()
                .webSocketConfig().serverPath(path).subprotocol("mqtt").applyWebSocketConfig()
                .addDisconnectedListener(disconnected::complete)
                .buildBlocking();
        disconnects.add(client::disconnect);
        return new Client5(client, disconnected);
    }

    public Mqtt3BlockingClient mqtt3(String certificateName, String clientId) throws Exception {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(keys(certificateName)).trustManagerFactory(trust()).applySslConfig()
                .buildBlocking();
        disconnects.add(client::disconnect);
        return client;
    }

    private KeyManagerFactory keys(String certificateName) throws Exception {
        DevPki.CertificateFiles files = broker.clientFiles(certificateName);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), STORE_PASSWORD,
                PemFiles.readCertificates(files.certificate()).toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, STORE_PASSWORD);
        return keys;
    }

    private TrustManagerFactory trust() throws Exception {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        List<X509Certificate> authorities = PemFiles.readCertificates(broker.caFile());
        for (int i = 0; i < authorities.size(); i++) {
            trustStore.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        return trust;
    }

    /** Disconnects every client still connected; one already closed is skipped. */
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
