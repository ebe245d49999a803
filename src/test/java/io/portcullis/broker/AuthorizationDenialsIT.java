package io.portcullis.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.portcullis.broker.FleetConfiguration.DEVICE_A;
import static io.portcullis.broker.FleetConfiguration.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every row of the denial table in SPEC 3.5, in MQTT 5 (Paho mqttv5) and MQTT 3.1.1 (Paho mqttv3), against
 * a broker serving {@link FleetConfiguration}: devices publish only their own telemetry and subscribe only
 * to their own commands; a back-end service reads all telemetry.
 */
class AuthorizationDenialsIT {
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int V3_SUBSCRIBE_FAILURE = 0x80;
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final char[] STORE_PASSWORD = "test".toCharArray();

    @TempDir
    static Path directory;
    static RunningBroker broker;

    /** The back-end service, subscribed to all telemetry: it sees what the broker routed. */
    static PahoV5Client service;
    /** Device B, publishing its own telemetry. */
    static PahoV5Client deviceB;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory, FleetConfiguration::apply);
        service = PahoV5Client.connect(broker, SERVICE, "service");
        assertThat(service.subscribe("devices/+/telemetry")).containsExactly(1);
        deviceB = PahoV5Client.connect(broker, FleetConfiguration.DEVICE_B, "device-b");
    }

    @BeforeEach
    void forgetEarlierTelemetry() {
        service.received.clear();
    }

    @AfterAll
    static void stopBroker() {
        deviceB.close();
        service.close();
        broker.close();
    }

    private static String id(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    // ------------------------------------------------------------------ MQTT 5

    /**
     * HiveMQ's client for the acknowledged publishes: Paho mqttv5 1.2.5 closes its own connection after a
     * PUBREC with an error code ("halting QoS 2 flow"), so it cannot show that the broker keeps it open.
     */
    private static Mqtt5BlockingClient hiveMqClient(String certificateName, String clientId) throws Exception {
        DevPki.CertificateFiles files = broker.clientFiles(certificateName);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), STORE_PASSWORD,
                PemFiles.readCertificates(files.certificate()).toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, STORE_PASSWORD);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.readCertificates(broker.caFile()).get(0));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(keyManagers).trustManagerFactory(trustManagers).applySslConfig()
                .buildBlocking();
        client.connect();
        return client;
    }

    /** The PUBACK (QoS 1) or PUBREC (QoS 2) reason code; the blocking client throws negative ones. */
    private static int acknowledgement(Mqtt5BlockingClient client, String topic, String payload, int qos) {
        Mqtt5Publish publish = Mqtt5Publish.builder().topic(topic).qos(MqttQos.fromCode(qos))
                .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
        try {
            Mqtt5PublishResult result = client.publish(publish);
            return qos == 1
                    ? ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode().getCode()
                    : ((Mqtt5PublishResult.Mqtt5Qos2Result) result).getPubRec().getReasonCode().getCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        } catch (Mqtt5PubRecException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void deniedQos1And2PublishIsAnsweredNotAuthorizedAndTheConnectionStays(int qos) throws Exception {
        Mqtt5BlockingClient deviceA = hiveMqClient(DEVICE_A, id("hive-a"));
        try {

            assertThat(acknowledgement(deviceA, "devices/client-2/telemetry", "spoofed", qos))
                    .isEqualTo(NOT_AUTHORIZED);
            assertThat(acknowledgement(deviceA, "devices/client-1/telemetry", "mine", qos)).isZero();

            assertThat(deviceA.getState().isConnected()).isTrue();
            // Per-publisher order: had the spoofed message been routed, it would arrive first.
            assertThat(service.next()).isEqualTo("devices/client-1/telemetry mine");
        } finally {
            deviceA.disconnect();
        }
    }

    @Test
    void deniedQos0PublishIsDroppedAndTheConnectionStays() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("v5-a"))) {

            deviceA.publish("devices/client-2/telemetry", "spoofed", 0);
            deviceA.publish("devices/client-1/telemetry", "mine", 0);

            assertThat(service.next()).isEqualTo("devices/client-1/telemetry mine");
            assertThat(deviceA.isConnected()).isTrue();
            assertThat(deviceA.publish("devices/client-1/telemetry", "still here", 1)).isZero();
        }
    }

    @Test
    void subscribeAnswersEachFilterAndTheAllowedOnesWork() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("v5-a"))) {

            int[] codes = deviceA.subscribe("devices/client-1/commands/#", "devices/client-2/commands/#",
                    "$share/g/devices/client-1/commands/#", "$share/g/devices/client-2/commands/#",
                    "devices/+/commands/#", "$SYS/#");

            assertThat(codes).containsExactly(1, NOT_AUTHORIZED, 1, NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED);
            assertThat(service.publish("devices/client-2/commands/reboot", "for B", 1)).isIn(0, 0x10);
            assertThat(service.publish("devices/client-1/commands/reboot", "for A", 1)).isZero();
            // Two copies for A (plain and shared subscription), none for B: A's arrive first and only.
            assertThat(deviceA.next()).isEqualTo("devices/client-1/commands/reboot for A");
            assertThat(deviceA.next()).isEqualTo("devices/client-1/commands/reboot for A");
            assertThat(deviceA.isConnected()).isTrue();
        }
    }

    @Test
    void willTopicNotAllowedRefusesTheConnect() {
        assertThatThrownBy(() -> PahoV5Client.connect(broker, DEVICE_A, id("v5-will"), "devices/client-2/telemetry"))
                .isInstanceOfSatisfying(org.eclipse.paho.mqttv5.common.MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }

    @Test
    void allowedWillTopicIsAccepted() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("v5-will"),
                "devices/client-1/telemetry")) {
            assertThat(deviceA.isConnected()).isTrue();
        }
    }

    @Test
    void attributeTemplatesGrantOnlyTheClientsOwnFleet() throws Exception {
        try (PahoV5Client deviceA = PahoV5Client.connect(broker, DEVICE_A, id("v5-a"))) {
            assertThat(deviceA.publish("fleets/north/status", "ok", 1)).isIn(0, 0x10);
            assertThat(deviceA.publish("fleets/south/status", "ok", 1)).isEqualTo(NOT_AUTHORIZED);
        }
        assertThat(service.publish("devices/client-1/telemetry", "fake", 1)).isEqualTo(NOT_AUTHORIZED);
        assertThat(service.subscribe("devices/client-1/commands/#", "devices/+/telemetry"))
                .containsExactly(NOT_AUTHORIZED, 1);
    }

    // ------------------------------------------------------------------ MQTT 3.1.1

    /** A Paho 3.1.1 async client with a queue of received messages and a future completed on connection loss. */
    private static final class V3Client implements MqttCallback, AutoCloseable {
        final MqttAsyncClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();

        V3Client(String certificateName, String willTopic) throws Exception {
            client = new MqttAsyncClient(broker.mqttsUri(), id("v3"), new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(broker.clientSslContext(certificateName).getSocketFactory());
            // Paho's default retries a refused 3.1.1 CONNECT as MQTT 3.1, which would hide the real answer.
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setAutomaticReconnect(false);
            if (willTopic != null) {
                options.setWill(willTopic, "gone".getBytes(StandardCharsets.UTF_8), 1, false);
            }
            try {
                client.connect(options).waitForCompletion(PahoV5Client.TIMEOUT_MS);
            } catch (MqttException e) {
                client.close(true);
                throw e;
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(PahoV5Client.TIMEOUT_MS);
            }
            client.close(true);
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void deniedPublishClosesAnMqtt311Connection(int qos) throws Exception {
        try (V3Client deviceA = new V3Client(DEVICE_A, null)) {

            deviceA.client.publish("devices/client-2/telemetry", "spoofed".getBytes(StandardCharsets.UTF_8), qos,
                    false);

            assertThat(deviceA.lost).succeedsWithin(10, TimeUnit.SECONDS);
            assertThat(deviceA.client.isConnected()).isFalse();
            // Nothing was routed: the next telemetry the service sees is a later, allowed one.
            deviceB.publish("devices/client-2/telemetry", "real", 1);
            assertThat(service.next()).isEqualTo("devices/client-2/telemetry real");
        }
    }

    @Test
    void subscribeAnswers0x80ForEachDeniedFilterInMqtt311() throws Exception {
        try (V3Client deviceA = new V3Client(DEVICE_A, null)) {
            IMqttToken token = deviceA.client.subscribe(new String[] {"devices/client-2/commands/#",
                    "devices/client-1/commands/#", "$share/g/devices/client-2/commands/#"}, new int[] {1, 1, 1});
            token.waitForCompletion(PahoV5Client.TIMEOUT_MS);

            assertThat(token.getGrantedQos()).containsExactly(V3_SUBSCRIBE_FAILURE, 1, V3_SUBSCRIBE_FAILURE);
            service.publish("devices/client-2/commands/x", "for B", 1);
            service.publish("devices/client-1/commands/x", "for A", 1);
            assertThat(deviceA.received.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/client-1/commands/x for A");
            assertThat(deviceA.client.isConnected()).isTrue();
        }
    }

    @Test
    void willTopicNotAllowedIsRefusedWithReturnCode5InMqtt311() {
        assertThatThrownBy(() -> new V3Client(DEVICE_A, "devices/client-2/telemetry"))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }
}
