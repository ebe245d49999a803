package io.portcullis.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.auth.CertificateFields;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.RevocationConfig;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rotation without a restart: the EC and RSA server certificate and key files, and a CA certificate file
 * trusted for clients, are replaced on disk the way operators do (write aside, rename over). New
 * handshakes get the new material while a connected client keeps publishing and receiving. A half-written
 * PEM, a key that does not fit its certificate or a CA file that holds no CA leaves the old material in
 * place and is explained in a WARN. A client connected with a certificate of a CA that is no longer
 * registered is disconnected. Revocation is off here: the clients of these CAs have no CRL.
 */
class CertificateRotationIT {
    @TempDir
    static Path directory;
    static RunningBroker broker;
    static IssuedCertificate intermediate;
    /** The file of the second registered CA, {@code rotating-ca}, which the CA test replaces. */
    static Path rotatingCaFile;
    static IssuedCertificate firstRotatingCa;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger reloaderLog = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
    private final Logger brokerLog = (Logger) LoggerFactory.getLogger(Broker.class);
    private Level brokerLevel;

    @BeforeAll
    static void startBroker() throws Exception {
        firstRotatingCa = CertificateIssuer.rootCa("Rotation Test CA 1");
        rotatingCaFile = directory.resolve("rotating-ca.pem");
        PemFiles.writeCertificates(rotatingCaFile, List.of(firstRotatingCa.certificate()), true);
        broker = RunningBroker.start(directory, config -> withRotatingCa(config.withRevocation(
                RevocationConfig.DISABLED)));
        broker.broker().watchConfiguration();
        DevPki.CertificateFiles ca = broker.pki().intermediateCa();
        intermediate = new IssuedCertificate(PemFiles.readCertificates(ca.certificate()).get(0),
                PemFiles.readPrivateKey(ca.privateKey()), List.of());
    }

    private static BrokerConfig withRotatingCa(BrokerConfig config) {
        List<CaCertificateConfig> cas = new ArrayList<>(config.caCertificates());
        cas.add(new CaCertificateConfig("rotating-ca", "Replaced on disk by the test", rotatingCaFile,
                firstRotatingCa.certificate()));
        return new BrokerConfig(config.listeners(), config.tls(), config.mqtt(), config.namespace(),
                config.subjectNameMatch(), cas, config.clients(), config.clientGroups(), config.topicSpaces(),
                config.permissionBindings(), config.storage(), config.revocation(), config.admin());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLog() {
        log.start();
        brokerLevel = brokerLog.getLevel();
        // The swap is announced at INFO; the test configuration logs WARN and above only.
        brokerLog.setLevel(Level.INFO);
        reloaderLog.addAppender(log);
        brokerLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        reloaderLog.detachAppender(log);
        brokerLog.detachAppender(log);
        brokerLog.setLevel(brokerLevel);
    }

    /** The leaf a brand-new client sees; a fresh TLS context each time, so nothing is resumed. */
    private static X509Certificate serverLeaf(boolean rsa) throws Exception {
        try (SSLSocket socket = (SSLSocket) broker.clientSslContext("client-3").getSocketFactory()
                .createSocket("localhost", broker.mqttsPort())) {
            if (rsa) {
                // Only an RSA suite, so the broker has to serve its RSA certificate.
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"});
            }
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static BigInteger serial(boolean rsa) throws Exception {
        return serverLeaf(rsa).getSerialNumber();
    }

    private static void replace(Path target, byte[] content) throws Exception {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] pem(List<X509Certificate> certificates) throws Exception {
        Path scratch = Files.createTempFile(directory, "chain", ".pem");
        Files.delete(scratch);
        PemFiles.writeCertificates(scratch, certificates, true);
        return Files.readAllBytes(scratch);
    }

    private static byte[] keyPem(IssuedCertificate issued) throws Exception {
        Path scratch = Files.createTempFile(directory, "key", ".pem");
        Files.delete(scratch);
        PemFiles.writePrivateKey(scratch, issued.privateKey(), true);
        return Files.readAllBytes(scratch);
    }

    private List<ILoggingEvent> events() {
        synchronized (log.list) {
            return List.copyOf(log.list);
        }
    }

    private List<String> warnings(String text) {
        return events().stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).filter(line -> line.contains(text)).toList();
    }

    private static MqttClient connectedClient(SSLContext tls, String clientId) throws MqttException {
        MqttClient client = new MqttClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(tls.getSocketFactory());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Whether a client presenting {@code issued} is served: TLS and CONNACK both accept it. */
    private static boolean isAccepted(IssuedCertificate issued) throws Exception {
        SSLContext tls = RunningBroker.sslContext(issued.chain(), issued.privateKey(), broker.caFile());
        try {
            MqttClient client = connectedClient(tls, "rotation-ca-probe");
            client.disconnect();
            client.close();
            return true;
        } catch (MqttException refused) {
            return false;
        }
    }

    @Test
    void newHandshakesGetTheNewCertificatesWhileAConnectedClientCarriesOn() throws Exception {
        MqttClient old = connectedClient(broker.clientSslContext("client-1"), "rotation-old");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        old.subscribe("rotation/#", 1, (topic, message) -> received.add(new String(message.getPayload(),
                StandardCharsets.UTF_8)));
        IssuedCertificate ec = CertificateIssuer.server(intermediate, KeyAlgorithm.EcP384);
        IssuedCertificate rsa = CertificateIssuer.server(intermediate, KeyAlgorithm.Rsa2048);

        replace(broker.pki().serverEc().certificate(), pem(ec.chain()));
        replace(broker.pki().serverEc().privateKey(), keyPem(ec));
        replace(broker.pki().serverRsa().certificate(), pem(rsa.chain()));
        replace(broker.pki().serverRsa().privateKey(), keyPem(rsa));

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(serial(false)).isEqualTo(ec.certificate().getSerialNumber());
            assertThat(serial(true)).isEqualTo(rsa.certificate().getSerialNumber());
        });
        assertThat(events()).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("Server certificates replaced for new connections")
                .contains("ecSerial=" + CertificateFields.serialHex(ec.certificate()))
                .contains("rsaSerial=" + CertificateFields.serialHex(rsa.certificate())));
        assertThat(old.isConnected()).isTrue();
        old.publish("rotation/after", "still here".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("still here");
        old.disconnect();
        old.close();
    }

    @Test
    void aHalfWrittenCertificateLeavesTheOldOneInPlace() throws Exception {
        Path file = broker.pki().serverEc().certificate();
        byte[] good = Files.readAllBytes(file);
        BigInteger before = serial(false);
        IssuedCertificate next = CertificateIssuer.server(intermediate, KeyAlgorithm.EcP384);
        byte[] whole = pem(next.chain());

        try {
            replace(file, Arrays.copyOf(whole, whole.length / 2));

            await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings("Configuration change ignored").isEmpty());
            assertThat(serial(false)).isEqualTo(before);
            assertThat(warnings("Configuration change ignored")).anySatisfy(line -> assertThat(line)
                    .contains("tls.serverCertificates[0].certificate").contains(file.toString())
                    .contains("is not valid PEM"));
        } finally {
            replace(file, good);
        }
    }

    @Test
    void aKeyThatDoesNotFitLeavesTheOldMaterialInPlace() throws Exception {
        Path keyFile = broker.pki().serverRsa().privateKey();
        byte[] good = Files.readAllBytes(keyFile);
        BigInteger before = serial(true);
        IssuedCertificate stranger = CertificateIssuer.server(intermediate, KeyAlgorithm.Rsa2048);

        try {
            replace(keyFile, keyPem(stranger));

            await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings("does not belong").isEmpty());
            assertThat(serial(true)).isEqualTo(before);
            assertThat(warnings("Configuration change ignored")).anySatisfy(line -> assertThat(line)
                    .contains("tls.serverCertificates[1].privateKey").contains(keyFile.toString()));
        } finally {
            replace(keyFile, good);
        }
    }

    @Test
    void aClientOnlyCertificateLeavesTheOldOneInPlace() throws Exception {
        Path certificateFile = broker.pki().serverEc().certificate();
        Path keyFile = broker.pki().serverEc().privateKey();
        byte[] goodCertificate = Files.readAllBytes(certificateFile);
        byte[] goodKey = Files.readAllBytes(keyFile);
        BigInteger before = serial(false);
        // Every TLS client refuses this one: its extended key usage is clientAuth only.
        IssuedCertificate clientOnly = CertificateIssuer.client(intermediate, "localhost", KeyAlgorithm.EcP384,
                SubjectAltNames.LOCALHOST, Validity.defaultLeaf());

        try {
            replace(keyFile, keyPem(clientOnly));
            replace(certificateFile, pem(clientOnly.chain()));

            await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings("extended key usage").isEmpty());
            assertThat(serial(false)).isEqualTo(before);
            assertThat(warnings("Configuration change ignored")).anySatisfy(line -> assertThat(line)
                    .contains("tls.serverCertificates[0].certificate").contains(certificateFile.toString())
                    .contains("does not allow TLS server authentication").contains("pki server issue"));
        } finally {
            replace(certificateFile, goodCertificate);
            replace(keyFile, goodKey);
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(serial(false)).isEqualTo(before));
    }

    @Test
    void aReplacedCaFileIsTrustedForNewClientsAndAnInvalidOneKeepsIt() throws Exception {
        IssuedCertificate secondCa = CertificateIssuer.rootCa("Rotation Test CA 2");
        IssuedCertificate ofFirst = CertificateIssuer.client(firstRotatingCa, "client-4");
        IssuedCertificate ofSecond = CertificateIssuer.client(secondCa, "client-4");
        assertThat(isAccepted(ofFirst)).isTrue();
        assertThat(isAccepted(ofSecond)).isFalse();
        MqttClient ofFirstConnected = connectedClient(RunningBroker.sslContext(ofFirst.chain(),
                ofFirst.privateKey(), broker.caFile()), "rotation-ca-first");

        replace(rotatingCaFile, pem(List.of(secondCa.certificate())));

        await().atMost(10, TimeUnit.SECONDS).until(() -> isAccepted(ofSecond));
        assertThat(isAccepted(ofFirst)).isFalse();
        // The registry no longer holds the CA of its certificate: the live session is checked again and ended.
        await().atMost(10, TimeUnit.SECONDS).until(() -> !ofFirstConnected.isConnected());
        ofFirstConnected.close();

        // A client certificate is no CA: the file is refused and the second CA stays trusted.
        replace(rotatingCaFile, pem(List.of(ofFirst.certificate())));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings("is not a CA certificate").isEmpty());
        assertThat(warnings("Configuration change ignored")).anySatisfy(line -> assertThat(line)
                .contains("caCertificates[1].certificate").contains(rotatingCaFile.toString()));
        assertThat(isAccepted(ofSecond)).isTrue();
        assertThat(isAccepted(ofFirst)).isFalse();

        // Cut short while being written: refused the same way.
        byte[] whole = pem(List.of(firstRotatingCa.certificate()));
        try {
            replace(rotatingCaFile, Arrays.copyOf(whole, whole.length / 2));
            await().atMost(10, TimeUnit.SECONDS).until(() -> !warnings("is not valid PEM").isEmpty());
            assertThat(isAccepted(ofSecond)).isTrue();
            assertThat(isAccepted(ofFirst)).isFalse();
        } finally {
            // A valid file again, so the other tests' reloads are not refused for this one.
            replace(rotatingCaFile, pem(List.of(secondCa.certificate())));
        }
    }
}
