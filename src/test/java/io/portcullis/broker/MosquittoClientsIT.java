package io.portcullis.broker;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mosquitto command-line clients (mosquitto_sub, mosquitto_pub) against a real broker over MQTT over
 * TLS, each with its own dev client certificate, as a user would run them from a shell. Needs the
 * mosquitto clients on PATH.
 */
class MosquittoClientsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTALL = "install the mosquitto clients (Debian/Ubuntu: apt-get install "
            + "mosquitto-clients; macOS: brew install mosquitto)";

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static String mosquittoSub;
    static String mosquittoPub;
    static String stdbuf;

    @BeforeAll
    static void startBroker() throws Exception {
        mosquittoSub = ChildProcess.onPath("mosquitto_sub", INSTALL);
        mosquittoPub = ChildProcess.onPath("mosquitto_pub", INSTALL);
        // mosquitto_sub's stdout is block-buffered into a pipe; line buffering lets the test see the SUBACK.
        stdbuf = ChildProcess.onPath("stdbuf", "it comes with GNU coreutils");
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void deliversFromOneCertificateToAnotherWithMqtt311() throws Exception {
        assertRoundTrip("mqttv311", "mosq/v311/x", "1");
    }

    @Test
    void deliversFromOneCertificateToAnotherWithMqtt5() throws Exception {
        assertRoundTrip("mqttv5", "mosq/v5/x", "1");
    }

    @Test
    void deliversAtQos2() throws Exception {
        String received = assertRoundTrip("mqttv5", "mosq/qos2/x", "2");

        assertThat(received).contains("received PUBCOMP");
    }

    @Test
    void refusesCertificateFromUnregisteredCa() throws Exception {
        // Same common name as a registered client, issued by a CA the broker does not know.
        IssuedCertificate strangerCa = CertificateIssuer.rootCa("Stranger CA");
        IssuedCertificate impostor = CertificateIssuer.client(strangerCa, "client-1");
        Path certificate = directory.resolve("stranger-client-1.crt");
        Path key = directory.resolve("stranger-client-1.key");
        PemFiles.writeCertificates(certificate, impostor.chain(), true);
        PemFiles.writePrivateKey(key, impostor.privateKey(), true);

        try (ChildProcess publisher = ChildProcess.start(command(List.of(mosquittoPub), "mqttv311", certificate, key,
                "-i", "mosq-stranger", "-t", "mosq/stranger", "-m", "should not arrive"), directory)) {
            Optional<Integer> exit = publisher.awaitExit(WAIT);

            assertThat(exit).as("mosquitto_pub ended within %s%n%s", WAIT, publisher.describe()).isPresent();
            assertThat(exit.get()).as(publisher.describe()).isNotZero();
            // The broker ends the TLS handshake with an alert about the certificate; no CONNACK is ever sent.
            assertThat(publisher.output()).as(publisher.describe()).containsPattern("alert .*certificate")
                    .doesNotContain("received CONNACK");
        }
    }

    /** Subscribes with client-2, publishes with client-1, returns what the publisher printed. */
    private static String assertRoundTrip(String version, String topic, String qos) throws Exception {
        DevPki.CertificateFiles subscriberFiles = broker.clientFiles("client-2");
        DevPki.CertificateFiles publisherFiles = broker.clientFiles("client-1");
        String message = "hello from client-1 over " + version + " q" + qos;

        try (ChildProcess subscriber = ChildProcess.start(command(List.of(stdbuf, "-oL", mosquittoSub), version,
                subscriberFiles.certificate(), subscriberFiles.privateKey(), "-i", "mosq-sub-" + topic.hashCode(),
                "-t", topic, "-q", qos, "-v", "-C", "1", "-W", "10"), directory)) {
            // -d prints the SUBACK, so the publisher starts only once the subscription exists.
            assertThat(subscriber.awaitLine(line -> line.contains("received SUBACK"), WAIT))
                    .as(subscriber.describe()).isPresent();

            try (ChildProcess publisher = ChildProcess.start(command(List.of(mosquittoPub), version,
                    publisherFiles.certificate(), publisherFiles.privateKey(), "-i", "mosq-pub-" + topic.hashCode(),
                    "-t", topic, "-q", qos, "-m", message), directory)) {
                assertThat(publisher.awaitExit(WAIT)).as(publisher.describe()).contains(0);

                assertThat(subscriber.awaitLine(line -> line.equals(topic + " " + message), WAIT))
                        .as(subscriber.describe()).isPresent();
                assertThat(subscriber.output()).as("delivered at the subscription's QoS")
                        .contains("received PUBLISH (d0, q" + qos);
                assertThat(subscriber.awaitExit(WAIT)).as(subscriber.describe()).contains(0);
                return publisher.output();
            }
        }
    }

    private static List<String> command(List<String> program, String version, Path certificate, Path key,
                                        String... rest) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("-d", "-h", "localhost",
                "-p", Integer.toString(broker.mqttsPort()), "-V", version, "--cafile", broker.caFile().toString(),
                "--cert", certificate.toString(), "--key", key.toString()));
        command.addAll(List.of(rest));
        return command;
    }
}
