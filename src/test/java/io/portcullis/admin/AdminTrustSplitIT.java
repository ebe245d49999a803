package io.portcullis.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.broker.Broker;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.RevocationConfig;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.testsupport.TestCertificates;
import io.portcullis.testsupport.TestCertificates.Issued;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reviewer's configuration on a running broker: the admin CA is the dev root, the very root above the
 * intermediate registered for devices. A device certificate (leaf and intermediate) must still be refused by
 * the admin API while it opens MQTT, an admin certificate issued by the root directly opens the admin API, and
 * the API refuses to register the admin CA for devices.
 */
class AdminTrustSplitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static final ListAppender<ILoggingEvent> BROKER_LINES = new ListAppender<>();

    @BeforeAll
    static void startBroker() throws Exception {
        BROKER_LINES.start();
        ((Logger) LoggerFactory.getLogger(Broker.class)).addAppender(BROKER_LINES);
        broker = RunningBroker.start(directory, AdminTrustSplitIT::adminCaAboveDeviceIntermediate);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
        ((Logger) LoggerFactory.getLogger(Broker.class)).detachAppender(BROKER_LINES);
    }

    @Test
    void warnsOnceThatTheAdminCaIssuedTheDeviceCaNotAgainAtEachReload() throws Exception {
        broker.broker().watchConfiguration().reload("test").get(10, TimeUnit.SECONDS);
        broker.broker().watchConfiguration().reload("test").get(10, TimeUnit.SECONDS);

        assertThat(BROKER_LINES.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.startsWith("Admin CA issued a device CA:")
                        && line.contains("caCertificate=devices"))
                .hasSize(1);
    }

    @Test
    void warnsAtOnceWhenTheApiRegistersADeviceCaTheAdminCaIssued() throws Exception {
        KeyPair rootKeys = new KeyPair(root().getPublicKey(),
                PemFiles.readPrivateKey(broker.pki().rootCa().privateKey()));
        Issued sibling = TestCertificates.intermediateCa("Sibling Intermediate", new Issued(root(), rootKeys));
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("encodedCertificate", TestCertificates.pem(sibling.certificate()));

        HttpResponse<String> response = send(adminOfTheRoot(), "PUT", "/api/v1/caCertificates/sibling",
                body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(BROKER_LINES.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.startsWith("Admin CA issued a device CA:")
                        && line.contains("caCertificate=sibling"))
                .hasSize(1);
    }

    /** Devices: the dev intermediate alone. Admin: the dev root above it. No revocation: no CRL needed. */
    private static BrokerConfig adminCaAboveDeviceIntermediate(BrokerConfig dev) {
        DevPki.Layout pki;
        try {
            pki = DevPki.ensure(directory, 4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CaCertificateConfig devices = new CaCertificateConfig("devices", "the device intermediate",
                pki.intermediateCa().certificate(), pki.intermediateCertificate());
        AdminConfig admin = new AdminConfig(true, dev.admin().bindAddress(), dev.admin().port(),
                List.of(pki.rootCa().certificate()), List.of(pki.rootCertificate()), List.of());
        return new BrokerConfig(dev.listeners(), dev.tls(), dev.mqtt(), dev.namespace(), dev.subjectNameMatch(),
                List.of(devices), dev.clients(), dev.clientGroups(), dev.topicSpaces(), dev.permissionBindings(),
                dev.storage(), RevocationConfig.DISABLED, admin);
    }

    private static X509Certificate root() {
        return broker.pki().rootCertificate();
    }

    private static HttpResponse<String> send(SSLContext tls, String method, String path, String body)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + broker.broker().adminPort() + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext adminOfTheRoot() throws Exception {
        KeyPair rootKeys = new KeyPair(root().getPublicKey(),
                PemFiles.readPrivateKey(broker.pki().rootCa().privateKey()));
        Issued admin = TestCertificates.certificate("CN=ops-admin,O=Plant").issuer(new Issued(root(), rootKeys))
                .build();
        return RunningBroker.sslContext(List.of(admin.certificate()), admin.privateKey(), broker.caFile());
    }

    @Test
    void refusesADeviceCertificateWhoseIntermediateTheAdminRootIssued() throws Exception {
        SSLContext device = broker.clientSslContext("client-1");

        assertThatThrownBy(() -> send(device, "GET", "/api/v1/clients", null)).isInstanceOf(IOException.class);
    }

    @Test
    void acceptsAnAdminCertificateIssuedByTheRootDirectly() throws Exception {
        HttpResponse<String> response = send(adminOfTheRoot(), "GET", "/api/v1/clients", null);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void theDeviceStillOpensMqtt() throws Exception {
        MqttAsyncClient mqtt = new MqttAsyncClient(broker.mqttsUri(), "client-1", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(broker.clientSslContext("client-1").getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(false);
        try {
            mqtt.connect(options).waitForCompletion(TIMEOUT.toMillis());
            assertThat(mqtt.isConnected()).isTrue();
        } finally {
            if (mqtt.isConnected()) {
                mqtt.disconnect().waitForCompletion(TIMEOUT.toMillis());
            }
            mqtt.close();
        }
    }

    @Test
    void refusesRegisteringTheAdminCaForDevices() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("encodedCertificate", TestCertificates.pem(root()));

        HttpResponse<String> response = send(adminOfTheRoot(), "PUT", "/api/v1/caCertificates/admin-root",
                body.toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode details = JSON.readTree(response.body()).path("error").path("details");
        assertThat(details.findValuesAsText("target")).containsExactly("properties.encodedCertificate");
        assertThat(response.body()).contains("the admin CA is never trusted for MQTT");
        assertThat(broker.broker().registry().current().caCertificates()).doesNotContainKey("admin-root");
    }
}
