package io.portcullis.broker;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.MqttSettings;
import io.portcullis.config.StorageConfig;
import io.portcullis.pki.PemFiles;
import io.portcullis.session.Session;
import io.portcullis.testsupport.RunningBroker;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A load benchmark, run by hand and never asserted: QoS 1 messages per second into persistent sessions whose
 * subscribers are offline, with the durable store (synced and not) and in memory, and the heap the broker
 * holds once they are queued. One publisher over MQTTS publishes {@code messages} distinct messages with up
 * to 1000 unacknowledged; each is queued for {@code sessions} offline sessions, so {@code messages * sessions}
 * messages end up queued.
 *
 * <pre>
 * ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     -Dmessages=100000 -Dsessions=10 io.portcullis.broker.DurableStorageBenchmark
 * </pre>
 */
public final class DurableStorageBenchmark {
    private static final int PAYLOAD_BYTES = 100;

    private DurableStorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("messages", 100_000);
        int sessions = Integer.getInteger("sessions", 10);
        System.out.printf("QoS 1 into %d offline persistent sessions, %d messages of %d bytes (%d queued)%n",
                sessions, messages, PAYLOAD_BYTES, (long) messages * sessions);
        // Warm-up: the JIT compiles the publish path before anything is measured.
        run("memory", Math.min(messages, 20_000), sessions, false);
        run("rocksdb-sync", Math.min(messages, 20_000), sessions, false);
        for (String mode : List.of("memory", "rocksdb-sync", "rocksdb-nosync")) {
            run(mode, messages, sessions, true);
        }
    }

    private static void run(String mode, int messages, int sessions, boolean report) throws Exception {
        Path directory = Files.createTempDirectory("portcullis-bench-");
        StorageConfig storage = switch (mode) {
            case "memory" -> StorageConfig.MEMORY;
            case "rocksdb-sync" -> StorageConfig.rocksDb(directory.resolve("data"));
            default -> new StorageConfig(io.portcullis.config.StorageMode.ROCKSDB, directory.resolve("data"), false);
        };
        try (RunningBroker broker = RunningBroker.start(directory, config -> roomy(config, messages)
                .withStorage(storage))) {
            for (int i = 0; i < sessions; i++) {
                Mqtt5BlockingClient subscriber = client(broker, "client-2", "bench-sub-" + i).toBlocking();
                subscriber.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
                subscriber.subscribeWith().topicFilter("bench/#").qos(MqttQos.AT_LEAST_ONCE).send();
                subscriber.disconnect();
            }
            Mqtt5AsyncClient publisher = client(broker, "client-1", "bench-pub").toAsync();
            publisher.connect().get(10, TimeUnit.SECONDS);
            publish(publisher, 2_000);
            long heapBefore = usedHeapAfterGc();

            long started = System.nanoTime();
            publish(publisher, messages);
            double seconds = (System.nanoTime() - started) / 1e9;
            publisher.disconnect().get(10, TimeUnit.SECONDS);

            long queued = broker.broker().context().sessions().sessions().stream()
                    .mapToLong(Session::queuedMessages).sum();
            long heapAfter = usedHeapAfterGc();
            long measured = (long) messages * sessions;
            if (!report) {
                return;
            }
            System.out.printf("%-15s %9.0f messages/s (%9.0f queued/s)  queued=%d  heap growth=%d MB"
                            + " (%.0f bytes per queued message)%n", mode, messages / seconds,
                    messages * (double) sessions / seconds, queued, (heapAfter - heapBefore) >> 20,
                    (heapAfter - heapBefore) / (double) measured);
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Queues large enough that nothing is dropped. */
    private static BrokerConfig roomy(BrokerConfig config, int messages) {
        MqttSettings d = config.mqtt();
        MqttSettings settings = new MqttSettings(d.maximumPacketSize(), d.maximumTopicLength(),
                d.maximumTopicLevels(), d.maximumSubscriptionsPerSession(), d.maximumFiltersPerSubscribe(),
                d.maximumKeepAliveSeconds(), d.connectTimeout(), d.maximumSessionExpirySeconds(), d.receiveMaximum(),
                d.maximumOutboundInflight(), d.topicAliasMaximum(), messages + 10_000, 1L << 36,
                d.queueOverflowPolicy(), d.slowSubscriberGracePeriod(), d.maximumRetainedMessageSize(),
                d.maximumRetainedMessages(), d.sharedSubscriptionsEnabled());
        return new BrokerConfig(config.listeners(), config.tls(), settings, config.namespace(),
                config.subjectNameMatch(), config.caCertificates(), config.clients(), config.clientGroups(),
                config.topicSpaces(), config.permissionBindings(), config.storage());
    }

    private static void publish(Mqtt5AsyncClient publisher, int count) throws InterruptedException {
        Semaphore window = new Semaphore(1000);
        AtomicLong failed = new AtomicLong();
        for (int i = 0; i < count; i++) {
            byte[] payload = new byte[PAYLOAD_BYTES];
            payload[0] = (byte) i;
            payload[1] = (byte) (i >> 8);
            payload[2] = (byte) (i >> 16);
            window.acquire();
            publisher.publishWith().topic("bench/" + (i % 100)).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                    .whenComplete((result, failure) -> {
                        if (failure != null || result.getError().isPresent()) {
                            failed.incrementAndGet();
                        }
                        window.release();
                    });
        }
        window.acquire(1000);
        if (failed.get() > 0) {
            System.out.println("  failed publishes: " + failed.get());
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Mqtt5Client client(RunningBroker broker, String certificate, String clientId) throws Exception {
        var files = broker.clientFiles(certificate);
        List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "bench".toCharArray();
        keys.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), password,
                chain.toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFiles.readCertificates(broker.caFile())) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        return Mqtt5Client.builder().identifier(clientId).serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(keyManagers).trustManagerFactory(trustManagers).applySslConfig()
                .build();
    }
}
