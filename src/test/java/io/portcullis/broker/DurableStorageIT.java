package io.portcullis.broker;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos2.Mqtt5OutgoingQos2Interceptor;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubcomp.Mqtt5PubComp;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRec;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRel;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRelBuilder;
import io.portcullis.cli.DevConfiguration;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.persistence.StoreException;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise under {@code kill -9}: the broker runs as its own process on a durable store; QoS 1
 * and QoS 2 messages stream into persistent sessions whose subscribers are offline; the process is killed
 * with SIGKILL mid-stream and started again on the same data directory. Every message the broker had
 * acknowledged (PUBACK, PUBREC) must reach the subscribers; QoS 2 ones exactly once. Retained messages and
 * subscriptions survive, a session whose expiry passed while the broker was down is gone, and its delayed
 * Will is published at the restart.
 */
class DurableStorageIT {
    private static final int MESSAGES_PER_PUBLISHER = 900;
    private static final int KILL_AFTER_ACKNOWLEDGED = 150;
    private static final long SHORT_EXPIRY_SECONDS = 3;

    @TempDir
    static Path directory;
    static DevPki.Layout pki;
    static Path configFile;
    static int mqttsPort;

    private Process broker;
    private Path brokerLog;

    @BeforeAll
    static void configure() throws Exception {
        pki = DevPki.ensure(directory, 4);
        mqttsPort = freePort();
        BrokerConfig config = DevConfiguration.build(pki, mqttsPort, freePort())
                .withStorage(StorageConfig.rocksDb(directory.resolve("data")));
        configFile = directory.resolve("portcullis.yaml");
        RunningBroker.writeConfig(configFile, config, directory);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @AfterEach
    void stopBroker() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void startBroker(String run) throws Exception {
        brokerLog = directory.resolve("broker-" + run + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: the broker starts sooner, which is all this test needs of the JIT.
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.PortcullisCommand", "serve", "--config", configFile.toString());
        builder.environment().put("PORTCULLIS_TEST_LOG_LEVEL", "INFO");
        builder.redirectErrorStream(true).redirectOutput(brokerLog.toFile());
        broker = builder.start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(broker.isAlive()).as("broker exited; its log:%n%s", log()).isTrue();
            return log().contains("Portcullis started");
        });
    }

    private String log() throws IOException {
        return Files.readString(brokerLog, StandardCharsets.UTF_8);
    }

    @Test
    void acknowledgedStateSurvivesSigkill() throws Exception {
        startBroker("first");
        subscribeAndLeave("client-2", "durable-q1", "crash/q1", MqttQos.AT_LEAST_ONCE, 300);
        subscribeAndLeave("client-3", "durable-q2", "crash/q2", MqttQos.EXACTLY_ONCE, 300);
        Mqtt5BlockingClient retainer = client("client-1", "retainer").toBlocking();
        retainer.connect();
        retainer.publishWith().topic("crash/retained").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("kept".getBytes(StandardCharsets.UTF_8)).send();
        retainer.disconnect();

        Set<Integer> pubacked = ConcurrentHashMap.newKeySet();
        Set<Integer> pubreced = ConcurrentHashMap.newKeySet();
        Mqtt5AsyncClient qos1Publisher = client("client-1", "publisher-q1").toAsync();
        Mqtt5AsyncClient qos2Publisher = Mqtt5Client.builder().identifier("publisher-q2").serverHost("localhost")
                .serverPort(mqttsPort).sslConfig().keyManagerFactory(keyManagers("client-1"))
                .trustManagerFactory(trustManagers()).applySslConfig()
                .advancedConfig().interceptors().outgoingQos2Interceptor(new PubrecRecorder(pubreced))
                .applyInterceptors().applyAdvancedConfig().buildAsync();
        qos1Publisher.connect().get(10, TimeUnit.SECONDS);
        qos2Publisher.connect().get(10, TimeUnit.SECONDS);
        // Offline just before the stream with a short expiry and a delayed Will: both fall due while the broker
        // is down, not before; the Will goes to the QoS 1 subscriber at the restart.
        Mqtt5BlockingClient shortLived = client("client-4", "short-lived").toBlocking();
        shortLived.connectWith().cleanStart(true).sessionExpiryInterval(SHORT_EXPIRY_SECONDS)
                .willPublish().topic("crash/q1").qos(MqttQos.AT_LEAST_ONCE)
                .payload("200000".getBytes(StandardCharsets.UTF_8)).delayInterval(SHORT_EXPIRY_SECONDS)
                .applyWillPublish().send();
        shortLived.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        long shortLivedLeftAt = System.nanoTime();
        // SIGKILL from the acknowledgement callback that reaches the mark, so the kill lands mid-stream.
        AtomicBoolean killed = new AtomicBoolean();
        Process running = broker;
        Runnable killWhenDue = () -> {
            if (pubacked.size() >= KILL_AFTER_ACKNOWLEDGED && pubreced.size() >= KILL_AFTER_ACKNOWLEDGED
                    && killed.compareAndSet(false, true)) {
                running.destroyForcibly();
            }
        };
        Thread q1 = stream(qos1Publisher, "crash/q1", MqttQos.AT_LEAST_ONCE, pubacked, killed, killWhenDue);
        Thread q2 = stream(qos2Publisher, "crash/q2", MqttQos.EXACTLY_ONCE, ConcurrentHashMap.newKeySet(), killed,
                killWhenDue);

        await().atMost(Duration.ofSeconds(20)).untilTrue(killed);
        assertThat(System.nanoTime() - shortLivedLeftAt).as("killed before the short session's expiry")
                .isLessThan(TimeUnit.SECONDS.toNanos(SHORT_EXPIRY_SECONDS));
        assertThat(broker.waitFor(10, TimeUnit.SECONDS)).isTrue();
        q1.join(10_000);
        q2.join(10_000);
        Set<Integer> acknowledgedQos1 = Set.copyOf(pubacked);
        Set<Integer> acknowledgedQos2 = Set.copyOf(pubreced);
        assertThat(acknowledgedQos1).as("killed mid-stream").hasSizeLessThan(MESSAGES_PER_PUBLISHER);
        assertThat(acknowledgedQos2).as("killed mid-stream").hasSizeLessThan(MESSAGES_PER_PUBLISHER);

        long untilExpired = TimeUnit.SECONDS.toNanos(SHORT_EXPIRY_SECONDS) + TimeUnit.MILLISECONDS.toNanos(200)
                - (System.nanoTime() - shortLivedLeftAt);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, untilExpired));
        startBroker("second");
        assertThat(log()).contains("Store recovered:").contains("purgedSessions=1");

        List<Integer> qos1Received = new ArrayList<>();
        try (Resumed subscriber = resume("client-2", "durable-q1")) {
            assertThat(subscriber.sessionPresent).isTrue();
            Set<Integer> expected = new java.util.HashSet<>(acknowledgedQos1);
            expected.add(200_000);
            subscriber.receiveUntil(qos1Received, expected);
            assertThat(qos1Received).containsAll(acknowledgedQos1).as("the overdue Will").contains(200_000);

            // The subscription itself survived: a message published now reaches the resumed session.
            Mqtt5BlockingClient publisher = client("client-1", "publisher-after").toBlocking();
            publisher.connect();
            publisher.publishWith().topic("crash/q1").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("100000".getBytes(StandardCharsets.UTF_8)).send();
            publisher.disconnect();
            List<Integer> after = new ArrayList<>();
            subscriber.receiveUntil(after, Set.of(100_000));
            assertThat(after).contains(100_000);
        }

        List<Integer> qos2Received = new ArrayList<>();
        try (Resumed subscriber = resume("client-3", "durable-q2")) {
            assertThat(subscriber.sessionPresent).isTrue();
            subscriber.receiveUntil(qos2Received, acknowledgedQos2);
            subscriber.drain(qos2Received);
        }
        assertThat(qos2Received).containsAll(acknowledgedQos2).doesNotHaveDuplicates();

        try (Resumed gone = resume("client-4", "short-lived")) {
            assertThat(gone.sessionPresent).as("expired while the broker was down").isFalse();
        }

        Mqtt5BlockingClient reader = client("client-1", "retained-reader").toBlocking();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = reader.publishes(MqttGlobalPublishFilter.ALL)) {
            reader.connect();
            reader.subscribeWith().topicFilter("crash/retained").qos(MqttQos.AT_LEAST_ONCE).send();
            Optional<Mqtt5Publish> retained = publishes.receive(10, TimeUnit.SECONDS);
            assertThat(retained).hasValueSatisfying(p -> {
                assertThat(p.isRetain()).isTrue();
                assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
            });
        } finally {
            reader.disconnect();
        }
    }

    @Test
    void refusesToStartOverADataDirectoryItCannotRead(@TempDir Path other) throws Exception {
        Path data = other.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("MANIFEST-000001"), "not RocksDB");

        assertThatThrownBy(() -> RunningBroker.start(other, config -> config.withStorage(StorageConfig.rocksDb(data))))
                .isInstanceOf(StoreException.class).hasMessageContaining(data.toString())
                .hasMessageContaining("holds files but no store");
        assertThat(Files.readString(data.resolve("MANIFEST-000001"))).isEqualTo("not RocksDB");
    }

    /**
     * Publishes numbered messages, about one a millisecond with at most 16 unacknowledged, recording what was
     * acknowledged and calling {@code afterAcknowledgement} after each.
     */
    private Thread stream(Mqtt5AsyncClient publisher, String topic, MqttQos qos, Set<Integer> acknowledged,
                          AtomicBoolean killed, Runnable afterAcknowledgement) {
        Thread thread = new Thread(() -> {
            Semaphore window = new Semaphore(16);
            for (int i = 0; i < MESSAGES_PER_PUBLISHER && !killed.get(); i++) {
                int number = i;
                try {
                    if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
                        return;
                    }
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                publisher.publishWith().topic(topic).qos(qos)
                        .payload(Integer.toString(number).getBytes(StandardCharsets.UTF_8)).send()
                        .whenComplete((result, failure) -> {
                            if (failure == null && result.getError().isEmpty()) {
                                acknowledged.add(number);
                            }
                            window.release();
                            afterAcknowledgement.run();
                        });
            }
        }, "publisher-" + topic);
        thread.start();
        return thread;
    }

    /** Records the payload of every PUBLISH the broker answered with a successful PUBREC. */
    private record PubrecRecorder(Set<Integer> pubreced) implements Mqtt5OutgoingQos2Interceptor {
        @Override
        public void onPubRec(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec,
                             Mqtt5PubRelBuilder pubRelBuilder) {
            if (pubRec.getReasonCode().getCode() < 0x80) {
                pubreced.add(Integer.parseInt(new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
        }

        @Override
        public void onPubRecError(Mqtt5ClientConfig config, Mqtt5Publish publish, Mqtt5PubRec pubRec) {
        }

        @Override
        public void onPubComp(Mqtt5ClientConfig config, Mqtt5PubRel pubRel, Mqtt5PubComp pubComp) {
        }
    }

    private void subscribeAndLeave(String certificate, String clientId, String topic, MqttQos qos,
                                   long expirySeconds) throws Exception {
        Mqtt5BlockingClient subscriber = client(certificate, clientId).toBlocking();
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(expirySeconds).send();
        subscriber.subscribeWith().topicFilter(topic).qos(qos).send();
        subscriber.disconnect();
    }

    private Resumed resume(String certificate, String clientId) throws Exception {
        Mqtt5BlockingClient subscriber = client(certificate, clientId).toBlocking();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL);
        boolean present = subscriber.connectWith().cleanStart(false).sessionExpiryInterval(300).send()
                .isSessionPresent();
        return new Resumed(subscriber, publishes, present);
    }

    /** A subscriber that resumed its session, and the messages it receives. */
    private static final class Resumed implements AutoCloseable {
        final Mqtt5BlockingClient client;
        final Mqtt5BlockingClient.Mqtt5Publishes publishes;
        final boolean sessionPresent;

        Resumed(Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes publishes, boolean sessionPresent) {
            this.client = client;
            this.publishes = publishes;
            this.sessionPresent = sessionPresent;
        }

        /** Receives until every number in {@code expected} arrived, or nothing arrives for 5 s. */
        void receiveUntil(List<Integer> received, Set<Integer> expected) throws InterruptedException {
            while (!Set.copyOf(received).containsAll(expected)) {
                Optional<Mqtt5Publish> next = publishes.receive(5, TimeUnit.SECONDS);
                if (next.isEmpty()) {
                    return;
                }
                received.add(Integer.parseInt(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
        }

        /** Receives whatever else is queued, so duplicates would show. */
        void drain(List<Integer> received) throws InterruptedException {
            Optional<Mqtt5Publish> next;
            while ((next = publishes.receive(1, TimeUnit.SECONDS)).isPresent()) {
                received.add(Integer.parseInt(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
        }

        @Override
        public void close() {
            publishes.close();
            client.disconnect();
        }
    }

    private static Mqtt5Client client(String certificate, String clientId) throws Exception {
        return Mqtt5Client.builder().identifier(clientId).serverHost("localhost").serverPort(mqttsPort)
                .sslConfig().keyManagerFactory(keyManagers(certificate)).trustManagerFactory(trustManagers())
                .applySslConfig().build();
    }

    private static KeyManagerFactory keyManagers(String certificate) throws Exception {
        DevPki.CertificateFiles files = pki.clients().stream().filter(c -> c.name().equals(certificate))
                .findFirst().orElseThrow().files();
        List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "test".toCharArray();
        keys.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), password,
                chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        return factory;
    }

    private static TrustManagerFactory trustManagers() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFiles.readCertificates(pki.caFile())) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory;
    }
}
