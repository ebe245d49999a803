package io.portcullis.conformance;

import io.portcullis.config.BrokerConfig;
import io.portcullis.config.MqttSettings;
import io.portcullis.pki.DevPki;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One broker shared by a conformance test class, with the MQTT settings the class needs, and the steps
 * most tests repeat: open a raw connection with a dev client certificate, connect it, and check that
 * the broker still serves a well-behaved client after a misbehaving one was thrown out.
 */
public final class ConformanceBroker implements AutoCloseable {
    /** How long a test waits for something the broker should send at once. */
    public static final Duration WAIT = Duration.ofSeconds(5);
    /** How long a test listens to be satisfied that the broker sends nothing. */
    public static final Duration QUIET = Duration.ofMillis(300);

    private static Path sharedPki;

    private final RunningBroker broker;
    /** TLS contexts by certificate name: building one reads PEM files and key stores each time. */
    private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();

    private ConformanceBroker(RunningBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts the dev configuration with some {@link MqttSettings} fields replaced, named as in the record
     * (for example {@code Map.of("maximumKeepAliveSeconds", 2)}).
     */
    public static ConformanceBroker start(Path directory, Map<String, Object> mqttSettings) throws Exception {
        copyTree(sharedPki(), directory);
        return new ConformanceBroker(RunningBroker.start(directory, config -> withMqtt(config, mqttSettings)));
    }

    /**
     * One dev PKI for every conformance class in this JVM: issuing it (RSA keys above all) costs more than
     * the tests of a class, and {@link RunningBroker} reuses the files it finds in its directory.
     */
    private static synchronized Path sharedPki() throws IOException {
        if (sharedPki == null) {
            Path created = Files.createTempDirectory("portcullis-conformance-pki");
            DevPki.ensure(created, 4);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
            sharedPki = created;
        }
        return sharedPki;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }

    public RunningBroker running() {
        return broker;
    }

    /** A TLS connection as dev client {@code certificate}, nothing sent yet. */
    public RawMqttClient open(String certificate, MqttVersion version) throws Exception {
        SSLContext context = contexts.get(certificate);
        if (context == null) {
            context = broker.clientSslContext(certificate);
            contexts.put(certificate, context);
        }
        return RawMqttClient.open(context, broker.mqttsPort(), version);
    }

    /** A connection as {@code client-1} whose CONNECT was accepted. */
    public RawMqttClient connect(Connect connect) throws Exception {
        return connect("client-1", connect);
    }

    /** A connection as dev client {@code certificate} whose CONNECT was accepted. */
    public RawMqttClient connect(String certificate, Connect connect) throws Exception {
        RawMqttClient client = open(certificate, connect.version());
        Connack connack = client.connect(connect, WAIT);
        assertThat(connack.reasonCode()).as("CONNACK code for %s", connect.clientId()).isZero();
        return client;
    }

    /** Connects, subscribes to {@code filter} at {@code qos} and checks the SUBACK grants it. */
    public RawMqttClient subscriber(MqttVersion version, String clientId, String filter, int qos) throws Exception {
        RawMqttClient client = connect(Packets.connect(version, clientId).build());
        client.send(Packets.subscribe(1, filter, qos));
        assertThat(client.expectPacket(Suback.class, WAIT).reasonCodes()).containsExactly(qos);
        return client;
    }

    /**
     * A new, well-behaved connection of {@code version} subscribes, publishes at QoS 1 and receives its
     * own message: the broker was not harmed by whatever the test did before.
     */
    public void assertStillServes(MqttVersion version) throws Exception {
        String topic = "alive/" + UUID.randomUUID();
        try (RawMqttClient client = subscriber(version, "alive-" + UUID.randomUUID(), topic, 1)) {
            client.send(Packets.publish(topic, 1, 7, "still here"));
            // The PUBACK and the delivered PUBLISH may come in either order.
            Publish delivered = null;
            boolean acknowledged = false;
            while (delivered == null || !acknowledged) {
                MqttPacket packet = client.expectPacket(MqttPacket.class, WAIT);
                if (packet instanceof Puback puback) {
                    assertThat(puback.packetId()).isEqualTo(7);
                    assertThat(puback.reasonCode()).isEqualTo(ReasonCode.SUCCESS);
                    acknowledged = true;
                } else {
                    delivered = (Publish) packet;
                }
            }
            assertThat(delivered.topic()).isEqualTo(topic);
            assertThat(Packets.text(delivered)).isEqualTo("still here");
            client.send(new Puback(delivered.packetId(), ReasonCode.SUCCESS));
        }
    }

    @Override
    public void close() {
        broker.close();
    }

    private static BrokerConfig withMqtt(BrokerConfig config, Map<String, Object> changes) {
        MqttSettings mqtt = copyRecord(config.mqtt(), changes);
        return new BrokerConfig(config.listeners(), config.tls(), mqtt, config.namespace(), config.subjectNameMatch(),
                config.caCertificates(), config.clients(), config.clientGroups(), config.topicSpaces(),
                config.permissionBindings());
    }

    private static <R extends Record> R copyRecord(R record, Map<String, Object> changes) {
        try {
            RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            int used = 0;
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                types[i] = components[i].getType();
                if (changes.containsKey(name)) {
                    values[i] = changes.get(name);
                    used++;
                } else {
                    values[i] = components[i].getAccessor().invoke(record);
                }
            }
            if (used != changes.size()) {
                throw new IllegalArgumentException("unknown setting among " + changes.keySet());
            }
            @SuppressWarnings("unchecked")
            R copy = (R) record.getClass().getDeclaredConstructor(types).newInstance(values);
            return copy;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
    }
}
