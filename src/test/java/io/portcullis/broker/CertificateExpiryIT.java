package io.portcullis.broker;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client whose certificate expires while it is connected: the broker ends the session when notAfter
 * passes, with MQTT 5 DISCONNECT 0x87 (Not authorized) and the reason string saying why, as a real MQTT 5
 * client (Eclipse Paho) sees it; an MQTT 3.1.1 client, which has no DISCONNECT from the server, is closed. The
 * certificates are issued by the dev intermediate for a few seconds.
 */
class CertificateExpiryIT {
    private static final int NOT_AUTHORIZED = 0x87;
    private static final Duration LIFETIME = Duration.ofSeconds(6);

    @TempDir
    static Path directory;
    static RunningBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** What Paho reports when the server ends the connection; its callbacks run on Paho's threads. */
    private static final class Disconnects implements MqttCallback {
        final CompletableFuture<MqttDisconnectResponse> response = new CompletableFuture<>();
        final CompletableFuture<Instant> at = new CompletableFuture<>();

        @Override
        public void disconnected(MqttDisconnectResponse disconnect) {
            at.complete(Instant.now());
            response.complete(disconnect);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
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
    }

    /** A Paho 3.1.1 client presenting {@code certificate}; {@code lost} completes when the broker closes it. */
    private static MqttClient connected311(IssuedCertificate certificate, CompletableFuture<Instant> lost)
            throws Exception {
        MqttClient client = new MqttClient(broker.mqttsUri(), "expiring-311",
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.complete(Instant.now());
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(RunningBroker.sslContext(certificate.chain(), certificate.privateKey(),
                broker.caFile()).getSocketFactory());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        client.connect(options);
        return client;
    }

    @Test
    void disconnectsClientsWhenTheirCertificatesExpireDuringTheSession() throws Exception {
        DevPki.CertificateFiles ca = broker.pki().intermediateCa();
        IssuedCertificate intermediate = new IssuedCertificate(PemFiles.readCertificates(ca.certificate()).get(0),
                PemFiles.readPrivateKey(ca.privateKey()), List.of());
        Instant now = Instant.now();
        IssuedCertificate shortLived = CertificateIssuer.client(intermediate, "client-2", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.minus(Duration.ofMinutes(1)), now.plus(LIFETIME)));
        Instant notAfter = shortLived.certificate().getNotAfter().toInstant();

        // An MQTT 3.1.1 client beside it, with its own certificate ending at the same second: it is closed.
        IssuedCertificate shortLived311 = CertificateIssuer.client(intermediate, "client-3", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.between(now.minus(Duration.ofMinutes(1)), now.plus(LIFETIME)));
        CompletableFuture<Instant> lost311 = new CompletableFuture<>();
        MqttClient client311 = connected311(shortLived311, lost311);

        MqttAsyncClient client = new MqttAsyncClient(broker.mqttsUri(), "expiring-1", new MemoryPersistence());
        Disconnects disconnects = new Disconnects();
        client.setCallback(disconnects);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(RunningBroker.sslContext(shortLived.chain(), shortLived.privateKey(),
                broker.caFile()).getSocketFactory());
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        try {
            client.connect(options).waitForCompletion(5_000);
            assertThat(client.isConnected()).isTrue();

            MqttDisconnectResponse disconnect = disconnects.response.get(LIFETIME.toSeconds() + 15, TimeUnit.SECONDS);

            assertThat(disconnect.getReturnCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(disconnect.getReasonString()).isEqualTo("client certificate expired");
            // Not before the certificate's end: the session lasted as long as the certificate was valid.
            assertThat(disconnects.at.get()).isAfterOrEqualTo(notAfter);
            assertThat(client.isConnected()).isFalse();

            assertThat(lost311.get(15, TimeUnit.SECONDS)).isAfterOrEqualTo(notAfter);
            assertThat(client311.isConnected()).isFalse();
        } finally {
            client.close(true);
            client311.close(true);
        }
    }
}
