package io.portcullis.metrics;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import io.portcullis.config.AcceptLimits;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.TlsConfig;
import io.portcullis.pki.DevPki;
import io.portcullis.testsupport.MqttTestClients;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.transport.AcceptLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link BrokerMetrics} scraped in the Prometheus text format from a real broker after real events: MQTT
 * connections over mutual TLS, retained messages, deliveries, a denied subscription, a certificate revoked on the
 * dev CRL, certificates inside the expiry warning window, and connections refused by the accept limits. A fresh
 * broker per test, so the values are exact.
 */
class BrokerMetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    private RunningBroker broker;
    private MqttTestClients clients;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (clients != null) {
            clients.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void countsSessionsMessagesHandshakesAndRevocationChecks() throws Exception {
        start(config -> config);
        BrokerMetrics metrics = broker.broker().metrics();
        Mqtt5BlockingClient publisher = clients.mqtt5("client-1", "metrics-publisher").client();
        publisher.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        Mqtt5BlockingClient subscriber = clients.mqtt5("client-2", "metrics-subscriber").client();
        subscriber.connectWith().cleanStart(true).send();

        publisher.publishWith().topic("metrics/a").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("1")).send();
        publisher.publishWith().topic("metrics/b").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("2")).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes received = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("metrics/#").qos(MqttQos.AT_LEAST_ONCE).send();
            publisher.publishWith().topic("metrics/live").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("3")).send();
            for (int i = 0; i < 3; i++) {
                assertThat(received.receive(WAIT.toSeconds(), TimeUnit.SECONDS)).isPresent();
            }
        }
        Throwable denied = catchThrowable(() -> subscriber.subscribeWith().topicFilter("$SYS/#").send());
        assertThat(denied).isInstanceOf(Mqtt5SubAckException.class);

        Map<String, Double> values = parse(metrics.scrape());
        assertThat(values).containsEntry("portcullis_sessions_connected", 2.0)
                .containsEntry("portcullis_sessions", 2.0)
                .containsEntry("portcullis_retained_messages", 2.0)
                .containsEntry("portcullis_mqtt_connections_total{result=\"accepted\"}", 2.0)
                .containsEntry("portcullis_mqtt_connections_total{result=\"refused\"}", 0.0)
                .containsEntry("portcullis_mqtt_publishes_received_total", 3.0)
                .containsEntry("portcullis_mqtt_subscriptions_denied_total", 1.0)
                .containsEntry("portcullis_messages_sent_total", 3.0)
                .containsEntry("portcullis_messages_dropped_total{reason=\"queue_full\"}", 0.0)
                .containsEntry("portcullis_accept_accepted_total", 2.0)
                .containsEntry("portcullis_tls_handshakes_total{kind=\"full\"}", 2.0)
                .containsEntry("portcullis_tls_handshakes_total{kind=\"resumed\"}", 0.0)
                // The dev configuration checks the dev CRL at every CONNECT.
                .containsEntry("portcullis_revocation_checks_total{result=\"good\"}", 2.0)
                .containsEntry("portcullis_revocation_checks_total{result=\"revoked\"}", 0.0)
                .containsEntry("portcullis_certificates_expiring{kind=\"server\"}", 0.0)
                .containsEntry("portcullis_certificates_expiring{kind=\"ca\"}", 0.0);
        assertThat(values.get("portcullis_certificates_earliest_expiry_seconds")).isGreaterThan(86_400.0);

        publisher.disconnect();
        await().atMost(WAIT).untilAsserted(() -> assertThat(parse(metrics.scrape()))
                .containsEntry("portcullis_sessions_connected", 1.0)
                // Its Session Expiry Interval keeps the publisher's session.
                .containsEntry("portcullis_sessions", 2.0));
    }

    @Test
    void countsACertificateRevokedOnTheCrl() throws Exception {
        start(config -> config);
        BrokerMetrics metrics = broker.broker().metrics();
        DevPki.revokeClient(directory, "client-4");
        broker.broker().revocation().apply(broker.broker().revocation().config());

        Throwable refused = catchThrowable(() -> clients.mqtt5("client-4", "metrics-revoked").client()
                .connectWith().cleanStart(true).send());

        assertThat(refused).isNotNull();
        Map<String, Double> values = parse(metrics.scrape());
        assertThat(values).containsEntry("portcullis_revocation_handshakes_refused_total", 1.0)
                .containsEntry("portcullis_tls_handshakes_total{kind=\"full\"}", 0.0)
                .containsEntry("portcullis_sessions_connected", 0.0);
    }

    @Test
    void countsCertificatesInsideTheExpiryWarningByKind() throws Exception {
        // The dev CAs live 3650 days from their making, a moment before the check: every certificate is inside.
        start(config -> config.withTls(new TlsConfig(config.tls().engine(), config.tls().handshakeTimeout(),
                config.tls().serverCertificates(), Duration.ofDays(3650), config.tls().sessionTickets(),
                config.tls().ocspStapling())));
        BrokerMetrics metrics = broker.broker().metrics();

        Map<String, Double> values = parse(metrics.scrape());

        var status = broker.broker().expiryMonitor().status();
        assertThat(status.serverExpiringSoon()).isGreaterThanOrEqualTo(2);
        assertThat(values).containsEntry("portcullis_certificates_expiring{kind=\"server\"}",
                        (double) status.serverExpiringSoon())
                .containsEntry("portcullis_certificates_expiring{kind=\"ca\"}", 1.0);
    }

    @Test
    void countsConnectionsRefusedByThePerSourceLimit() throws Exception {
        start(config -> config.withListeners(new ListenersConfig(config.listeners().mqtts(),
                config.listeners().websocket(), new AcceptLimits(1000, 2000, 1, 3, 2000, 20))));
        BrokerMetrics metrics = broker.broker().metrics();
        AcceptLimiter limiter = broker.broker().acceptLimiter();

        // Plain TCP connections: the limits act at accept, before any TLS.
        int opened = 0;
        while (limiter.refusedSourceRate() == 0 && opened < 200) {
            sockets.add(new Socket(InetAddress.getLoopbackAddress(), broker.mqttsPort()));
            opened++;
            int expected = opened;
            await().atMost(WAIT).until(() -> limiter.accepted() + limiter.snapshot().refused() == expected);
        }

        Map<String, Double> values = parse(metrics.scrape());
        assertThat(limiter.refusedSourceRate()).isPositive();
        assertThat(values).containsEntry("portcullis_accept_refused_total{limit=\"perSourcePerSecond\"}",
                        (double) limiter.refusedSourceRate())
                .containsEntry("portcullis_accept_refused_total{limit=\"perSecond\"}", 0.0)
                .containsEntry("portcullis_accept_accepted_total", (double) limiter.accepted());
        assertThat(values.get("portcullis_accept_accepted_total")
                + values.get("portcullis_accept_refused_total{limit=\"perSourcePerSecond\"}")).isEqualTo(opened);
    }

    @Test
    void idleSocketsFromOneSourceHoldNoMoreThanItsHandshakeSlots() throws Exception {
        int cap = 3;
        start(config -> config.withListeners(new ListenersConfig(config.listeners().mqtts(),
                config.listeners().websocket(), new AcceptLimits(1000, 2000, 1000, 1000, 2000, cap))));
        BrokerMetrics metrics = broker.broker().metrics();
        AcceptLimiter limiter = broker.broker().acceptLimiter();

        // Plain TCP connections that never start TLS: each holds a handshake slot until it closes.
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            idle.add(new Socket(InetAddress.getLoopbackAddress(), broker.mqttsPort()));
        }
        await().atMost(WAIT).until(() -> limiter.handshakesInProgress() == cap);
        sockets.addAll(idle);
        sockets.add(new Socket(InetAddress.getLoopbackAddress(), broker.mqttsPort()));

        await().atMost(WAIT).until(() -> limiter.refusedHandshakesInProgressPerSource() == 1);
        assertThat(limiter.handshakesInProgress()).isEqualTo(cap);
        assertThat(parse(metrics.scrape()))
                .containsEntry("portcullis_accept_refused_total{limit=\"maximumHandshakesInProgressPerSource\"}", 1.0)
                .containsEntry("portcullis_accept_refused_total{limit=\"maximumHandshakesInProgress\"}", 0.0);

        for (Socket socket : idle) {
            socket.close();
        }
        await().atMost(WAIT).until(() -> limiter.handshakesInProgress() == 0);
        sockets.add(new Socket(InetAddress.getLoopbackAddress(), broker.mqttsPort()));
        await().atMost(WAIT).until(() -> limiter.handshakesInProgress() == 1);
        assertThat(limiter.refusedHandshakesInProgressPerSource()).isEqualTo(1);
    }

    @Test
    void theDocsListEveryMetricAndNoOther() throws Exception {
        start(config -> config);
        String docs = Files.readString(Path.of("docs", "admin-api.md"), StandardCharsets.UTF_8);
        String section = docs.substring(docs.indexOf("## Metrics"));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(portcullis_[a-z0-9_]+)").matcher(section);
        while (row.find()) {
            documented.add(row.group(1));
        }

        String scrape = broker.broker().metrics().scrape();
        Set<String> served = new TreeSet<>();
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(scrape);
        while (type.find()) {
            served.add(type.group(1));
        }

        assertThat(documented).isNotEmpty().isEqualTo(served);
    }

    private void start(java.util.function.UnaryOperator<BrokerConfig> customizer) throws Exception {
        broker = RunningBroker.start(directory, customizer);
        clients = new MqttTestClients(broker);
    }

    /** Sample lines of the text format, keyed by name and labels as written; comments skipped. */
    static Map<String, Double> parse(String scrape) {
        Map<String, Double> values = new HashMap<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return values;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
