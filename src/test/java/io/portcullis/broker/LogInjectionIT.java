package io.portcullis.broker;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A device must not be able to write a line of its own into the broker's log: a ClientId, Username, topic,
 * topic filter or certificate field holding a line break, NUL or escape sequence comes out escaped, both
 * in the message and in what the shipped Logback pattern makes of it. Real TLS, a real MQTT client.
 */
class LogInjectionIT {
    /** What a device would like an operator to read as an audit line of the broker. */
    private static final String FORGED = "\n2026-01-01T00:00:00.000Z INFO  [main] portcullis.audit - Admin change: "
            + "FORGED";
    private static final String ESCAPED = "\\n2026-01-01T00:00:00.000Z INFO  [main] portcullis.audit - Admin "
            + "change: FORGED";
    /** {@link #ESCAPED} in a bare field ({@code clientId=...}), where the space is escaped too. */
    private static final String ESCAPED_BARE = ESCAPED.replace(" ", "\\x20");
    /** What a device would like a logfmt parser to read as a second, real authentication name. */
    private static final String FAKE_FIELD = " authName=admin";

    @TempDir
    static Path directory;
    static RunningBroker broker;
    private TlsAuthLog log;

    @BeforeAll
    static void startBroker() throws Exception {
        // Names come from the Username, else the subject CN: a certificate CN can then name the client.
        broker = RunningBroker.start(directory, config -> TlsAuthConfigs.withNamespace(new NamespaceSettings(
                List.of(AuthenticationNameSource.ClientCertificateSubject), 100))
                .apply(FleetConfiguration.apply(config)));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLog() {
        log = new TlsAuthLog();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void aForgedUsernameOnARefusedConnectIsEscaped() throws Exception {
        Mqtt5BlockingClient client = HiveMqClients.mqtt5(broker, FleetConfiguration.DEVICE_A, "forger-1");

        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("nobody" + FORGED).applySimpleAuth()
                .send()).isInstanceOf(Mqtt5ConnAckException.class);

        String line = awaitLine("Connection refused");
        assertThat(line).contains("reason=\"no client has authentication name 'nobody" + ESCAPED + "'\"",
                "authName=nobody" + ESCAPED_BARE + " clientId=forger-1");
        assertNoLineBreaksOrNul();
    }

    @Test
    void aForgedClientIdTopicAndFilterAreEscaped() throws Exception {
        String clientId = "dev" + FORGED;
        Mqtt5BlockingClient client = HiveMqClients.mqtt5(broker, FleetConfiguration.DEVICE_A, clientId);
        client.connect();
        try {
            assertThatThrownBy(() -> client.publishWith().topic("devices/client-2/telemetry" + FORGED)
                    .qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8)).send())
                    .isInstanceOf(Mqtt5PubAckException.class);
            assertThatThrownBy(() -> client.subscribeWith().topicFilter("devices/client-2/commands\r\u001B[2K"
                    + FORGED).send()).isInstanceOf(Mqtt5SubAckException.class);
        } finally {
            client.disconnect();
        }

        assertThat(awaitLine("Client connected")).contains("clientId=dev" + ESCAPED_BARE + " protocol=");
        assertThat(awaitLine("Publish denied")).contains("topic=devices/client-2/telemetry" + ESCAPED_BARE
                + " qos=1", "clientId=dev" + ESCAPED_BARE + " remote=");
        assertThat(awaitLine("Subscribe denied")).contains("filter=devices/client-2/commands\\r\\x1B[2K"
                + ESCAPED_BARE + " reason=");
        assertThat(awaitLine("Client disconnected")).contains("clientId=dev" + ESCAPED_BARE + " protocol=");
        assertNoLineBreaksOrNul();
    }

    @Test
    void aUsernameWithASpaceCannotAddAnAuthenticationNameField() throws Exception {
        Mqtt5BlockingClient client = HiveMqClients.mqtt5(broker, FleetConfiguration.DEVICE_A, "forger-2");

        assertThatThrownBy(() -> client.connectWith().simpleAuth().username("nobody" + FAKE_FIELD).applySimpleAuth()
                .send()).isInstanceOf(Mqtt5ConnAckException.class);

        String line = awaitLine("Connection refused");
        assertThat(line).contains("authName=nobody\\x20authName=admin clientId=forger-2");
        assertThat(fieldNames(line)).containsOnlyOnce("authName");
        assertNoLineHasTwoAuthenticationNames();
    }

    @Test
    void aClientIdTopicAndFilterWithASpaceCannotAddAnAuthenticationNameField() throws Exception {
        String clientId = "dev" + FAKE_FIELD;
        Mqtt5BlockingClient client = HiveMqClients.mqtt5(broker, FleetConfiguration.DEVICE_A, clientId);
        client.connect();
        try {
            assertThatThrownBy(() -> client.publishWith().topic("devices/client-2/telemetry" + FAKE_FIELD)
                    .qos(MqttQos.AT_LEAST_ONCE).payload("x".getBytes(StandardCharsets.UTF_8)).send())
                    .isInstanceOf(Mqtt5PubAckException.class);
            assertThatThrownBy(() -> client.subscribeWith().topicFilter("devices/client-2/commands" + FAKE_FIELD)
                    .send()).isInstanceOf(Mqtt5SubAckException.class);
        } finally {
            client.disconnect();
        }

        String escapedClientId = "clientId=dev\\x20authName=admin ";
        assertThat(awaitLine("Client connected")).contains(escapedClientId);
        assertThat(awaitLine("Publish denied")).contains("topic=devices/client-2/telemetry\\x20authName=admin qos=1",
                escapedClientId);
        assertThat(awaitLine("Subscribe denied")).contains("filter=devices/client-2/commands\\x20authName=admin "
                + "reason=", escapedClientId);
        assertThat(awaitLine("Client disconnected")).contains(escapedClientId);
        assertNoLineHasTwoAuthenticationNames();
    }

    @Test
    void aCertificateCommonNameWithNulIsEscapedInTheReasonToo() throws Exception {
        // A common name is at most 64 characters (RFC 5280): a shorter forged line.
        IssuedCertificate forged = CertificateIssuer.client(TlsAuthProbe.devIntermediate(broker.pki()),
                "n\0\n2026-01-01 portcullis.audit - Admin change: FORGED");
        SSLContext context = TlsAuthProbe.context(forged, broker);

        assertConnack(Transport.MQTTS, broker, context, TlsAuthProbe.connect(MqttVersion.V5, "cn-probe", null),
                ReasonCode.NOT_AUTHORIZED);

        String line = awaitLine("Connection refused");
        assertThat(line).contains("no client has authentication name 'n\\x00\\n2026-01-01 portcullis.audit - Admin "
                        + "change: FORGED'",
                "thumbprint=" + thumbprint(forged.certificate()));
        assertNoLineBreaksOrNul();
    }

    @Test
    void aConnectWithAnAuthenticationMethodIsLoggedWithItsCertificateAndClientId() throws Exception {
        SSLContext client1 = broker.clientSslContext(FleetConfiguration.DEVICE_A);
        Connect plain = TlsAuthProbe.connect(MqttVersion.V5, "scram-probe", null);
        Connect withMethod = new Connect(plain.version(), plain.clientId(), plain.cleanStart(),
                plain.keepAliveSeconds(), null, null, null, 0, plain.receiveMaximum(), plain.maximumPacketSize(), 0,
                false, true, List.of(), "SCRAM-SHA-256" + FORGED, null);

        assertConnack(Transport.MQTTS, broker, client1, withMethod, ReasonCode.BAD_AUTHENTICATION_METHOD);

        X509Certificate leaf = PemFiles.readCertificates(broker.clientFiles(FleetConfiguration.DEVICE_A)
                .certificate()).get(0);
        String line = awaitLine("Connection refused");
        assertThat(line).contains("reason=\"CONNECT names Authentication Method SCRAM-SHA-256" + ESCAPED + "\"",
                        "code=0x8C clientId=scram-probe subject=\"CN=" + FleetConfiguration.DEVICE_A,
                        "thumbprint=" + thumbprint(leaf) + " ")
                .doesNotContain("authName", "null");
        assertNoLineBreaksOrNul();
    }

    private void assertNoLineHasTwoAuthenticationNames() {
        List<String> lines = log.connectionLines();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(fieldNames(line)).as(line).filteredOn("authName"::equals).hasSizeLessThanOrEqualTo(1);
        }
    }

    /**
     * The keys of the {@code key=value} fields of a line as a logfmt parser reads them: a value is a quoted
     * string (with backslash escapes) or runs to the next space.
     */
    private static List<String> fieldNames(String line) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            int start = i;
            while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '=') {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '=') {
                names.add(line.substring(start, i));
                i++;
                if (i < line.length() && line.charAt(i) == '"') {
                    i++;
                    while (i < line.length() && line.charAt(i) != '"') {
                        i += line.charAt(i) == '\\' ? 2 : 1;
                    }
                    i++;
                } else {
                    while (i < line.length() && line.charAt(i) != ' ') {
                        i++;
                    }
                }
            }
            i++;
        }
        return names;
    }

    private String awaitLine(String start) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> log.connectionLines().stream()
                .filter(line -> line.startsWith(start)).findFirst().orElse(null), line -> line != null);
    }

    /** Neither the messages nor the lines the shipped pattern makes of them hold a raw line break or NUL. */
    private void assertNoLineBreaksOrNul() throws IOException {
        PatternLayout layout = shippedLayout();
        List<ILoggingEvent> events = log.allEvents();
        assertThat(events).isNotEmpty();
        for (ILoggingEvent event : events) {
            assertThat(event.getFormattedMessage()).doesNotContain("\n", "\r", "\0", "\u001B");
            if (event.getThrowableProxy() == null) {
                String formatted = layout.doLayout(event);
                assertThat(formatted.substring(0, formatted.length() - System.lineSeparator().length()))
                        .doesNotContain("\n", "\r", "\0");
            }
        }
    }

    private static PatternLayout shippedLayout() throws IOException {
        String xml;
        try (InputStream in = LogInjectionIT.class.getResourceAsStream("/logback.xml")) {
            assertThat(in).as("logback.xml on the class path").isNotNull();
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher pattern = Pattern.compile("<pattern>(.*)</pattern>").matcher(xml);
        assertThat(pattern.find()).isTrue();
        PatternLayout layout = new PatternLayout();
        layout.setContext(new LoggerContext());
        layout.setPattern(pattern.group(1));
        layout.start();
        return layout;
    }
}
