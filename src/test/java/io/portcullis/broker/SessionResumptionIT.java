package io.portcullis.broker;

import io.portcullis.config.BrokerConfig;
import io.portcullis.config.SessionTicketConfig;
import io.portcullis.config.TlsConfig;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.transport.TlsContextFactory;
import io.portcullis.transport.TlsContextHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS 1.3 session resumption on the default (JDK) engine: a client that reconnects with the same
 * {@link SSLContext} resumes from its ticket, still presents its certificate chain to CONNECT, and is still
 * refused at CONNECT once the registry disables it. With tickets off every handshake is full. On the
 * OpenSsl engine (where netty-tcnative loads) full and resumed handshakes are counted apart too.
 */
class SessionResumptionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String CLIENT = "client-1";

    @TempDir
    Path directory;

    private static Connect connect(String clientId) {
        return new Connect(MqttVersion.V5, clientId, true, 30, null, null, null, 0, Connect.DEFAULT_RECEIVE_MAXIMUM,
                Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null, null);
    }

    /** Connects, sends CONNECT, returns the CONNACK code and the TLS protocol; disconnects on success. */
    private static Connack connectOnce(RunningBroker broker, SSLContext context) throws Exception {
        try (RawMqttClient client = RawMqttClient.open(context, broker.mqttsPort(), MqttVersion.V5)) {
            assertThat(client.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
            Connack connack = client.connect(connect("resume-" + System.nanoTime()), TIMEOUT);
            if (connack.reasonCode() == 0) {
                client.send(new Disconnect(0, null, null, List.of(), null));
            }
            return connack;
        }
    }

    private static UnaryOperator<BrokerConfig> tickets(boolean enabled) {
        return config -> {
            TlsConfig tls = config.tls();
            return config.withTls(new TlsConfig(tls.engine(), tls.handshakeTimeout(), tls.serverCertificates(),
                    tls.certificateExpiryWarning(), new SessionTicketConfig(enabled, Duration.ofHours(1),
                    Duration.ofHours(2)), tls.ocspStapling()));
        };
    }

    @Test
    void reconnectResumesAndConnectStillChecksTheRegistry() throws Exception {
        try (RunningBroker broker = RunningBroker.start(directory, tickets(true))) {
            TlsContextHolder tls = broker.broker().tlsContexts();
            SSLContext context = broker.clientSslContext(CLIENT);

            assertThat(connectOnce(broker, context).reasonCode()).isZero();
            assertThat(tls.fullHandshakes()).isEqualTo(1);
            assertThat(tls.resumedHandshakes()).isZero();

            // Same client context: it offers the ticket from the first connection.
            assertThat(connectOnce(broker, context).reasonCode()).isZero();
            assertThat(tls.resumedHandshakes()).isEqualTo(1);
            assertThat(tls.fullHandshakes()).isEqualTo(1);

            BrokerConfig disabled = disable(broker.broker().watchConfiguration().current().config(), CLIENT);
            RunningBroker.writeConfig(broker.configFile(), disabled, directory);
            // The file watch may apply the edit before this explicit reload does, which then finds it unchanged.
            assertThat(broker.broker().watchConfiguration().reload("test").get(5, TimeUnit.SECONDS))
                    .isIn(ConfigReloader.Outcome.APPLIED, ConfigReloader.Outcome.UNCHANGED);
            assertThat(broker.broker().registry().current().clients().get(CLIENT).state())
                    .isEqualTo(ClientState.Disabled);

            Connack refused = connectOnce(broker, context);
            assertThat(tls.resumedHandshakes()).isEqualTo(2);
            assertThat(refused.reasonCode()).isEqualTo(0x87);
        }
    }

    @Test
    void theOpenSslEngineCountsFullAndResumedHandshakesApart() throws Exception {
        assumeTrue(TlsContextFactory.isOpenSslUsable(), "netty-tcnative (BoringSSL) is not usable here");
        UnaryOperator<BrokerConfig> openSsl = config -> {
            BrokerConfig withTickets = tickets(true).apply(config);
            TlsConfig tls = withTickets.tls();
            return withTickets.withTls(new TlsConfig(io.portcullis.config.TlsEngine.OPENSSL, tls.handshakeTimeout(),
                    tls.serverCertificates(), tls.certificateExpiryWarning(), tls.sessionTickets(),
                    tls.ocspStapling()));
        };
        try (RunningBroker broker = RunningBroker.start(directory, openSsl)) {
            TlsContextHolder tls = broker.broker().tlsContexts();
            SSLContext context = broker.clientSslContext(CLIENT);

            // BoringSSL gives session creation times in whole seconds, so two full handshakes within one
            // second must not pass for resumed ones: a second client context has no ticket to offer.
            assertThat(connectOnce(broker, context).reasonCode()).isZero();
            assertThat(connectOnce(broker, broker.clientSslContext(CLIENT)).reasonCode()).isZero();
            assertThat(tls.fullHandshakes()).isEqualTo(2);
            assertThat(tls.resumedHandshakes()).isZero();

            assertThat(connectOnce(broker, context).reasonCode()).isZero();
            assertThat(tls.resumedHandshakes()).isEqualTo(1);
            assertThat(tls.fullHandshakes()).isEqualTo(2);
        }
    }

    @Test
    void withTicketsOffEveryHandshakeIsFull() throws Exception {
        try (RunningBroker broker = RunningBroker.start(directory, tickets(false))) {
            TlsContextHolder tls = broker.broker().tlsContexts();
            SSLContext context = broker.clientSslContext(CLIENT);

            for (int i = 0; i < 3; i++) {
                assertThat(connectOnce(broker, context).reasonCode()).isZero();
            }

            assertThat(tls.fullHandshakes()).isEqualTo(3);
            assertThat(tls.resumedHandshakes()).isZero();
        }
    }

    private static BrokerConfig disable(BrokerConfig config, String name) {
        List<Client> clients = config.clients().stream().map(c -> !c.name().equals(name) ? c
                : new Client(c.name(), c.authenticationName(), c.validationScheme(), c.allowedThumbprints(),
                        ClientState.Disabled, c.attributes(), c.description())).toList();
        return new BrokerConfig(config.listeners(), config.tls(), config.mqtt(), config.namespace(),
                config.subjectNameMatch(), config.caCertificates(), clients, config.clientGroups(),
                config.topicSpaces(), config.permissionBindings(), config.storage(), config.revocation(),
                config.admin());
    }
}
