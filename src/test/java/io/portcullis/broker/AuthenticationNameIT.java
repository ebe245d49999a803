package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Attempt;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.portcullis.broker.TlsAuthProbe.TIMEOUT;
import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.normalDisconnect;
import static io.portcullis.broker.TlsAuthProbe.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How a whole broker reads the authentication name of a CONNECT (SPEC 2.2, docs/configuration.md): the
 * Username must match the certificate; without one, the configured certificate fields in their order; no
 * name at all is refused; an empty or over-long Username is malformed (0x86). Two brokers share one dev
 * PKI: names from {@code [ClientCertificateDns, ClientCertificateSubject]}, and no alternative sources.
 */
class AuthenticationNameIT {
    private static final String DNS_NAME = "sensor-dns.example.test";
    private static final String CN_NAME = "sensor-cn";

    @TempDir
    static Path directory;
    static RunningBroker withSources;
    static RunningBroker withoutSources;
    static SSLContext client1;
    /** CN=sensor-cn with SAN DNS sensor-dns.example.test: two registered clients in one certificate. */
    static SSLContext dnsAndCn;

    @BeforeAll
    static void startBrokers() throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 4);
        IssuedCertificate intermediate = TlsAuthProbe.devIntermediate(pki);
        IssuedCertificate sensor = CertificateIssuer.client(intermediate, CN_NAME, KeyAlgorithm.EcP256,
                new SubjectAltNames(List.of(DNS_NAME), List.of(), List.of(), List.of()), Validity.defaultLeaf());
        List<Client> sensors = List.of(
                new Client("sensor-dns", DNS_NAME, ValidationScheme.DnsMatchesAuthenticationName, List.of(),
                        ClientState.Enabled, Map.of(), "Named by its SAN DNS entry"),
                new Client(CN_NAME, CN_NAME, ValidationScheme.SubjectMatchesAuthenticationName, List.of(),
                        ClientState.Enabled, Map.of(), "Named by its subject CN"));
        List<AuthenticationNameSource> dnsThenSubject = List.of(AuthenticationNameSource.ClientCertificateDns,
                AuthenticationNameSource.ClientCertificateSubject);

        withSources = RunningBroker.start(directory, config -> TlsAuthConfigs.withExtraClients(sensors)
                .apply(TlsAuthConfigs.withNamespace(new NamespaceSettings(dnsThenSubject, 100)).apply(config)));
        withoutSources = RunningBroker.start(directory,
                TlsAuthConfigs.withNamespace(new NamespaceSettings(List.of(), 100)));
        client1 = withSources.clientSslContext("client-1");
        dnsAndCn = TlsAuthProbe.context(sensor, withSources);
    }

    @AfterAll
    static void stopBrokers() {
        if (withoutSources != null) {
            withoutSources.close();
        }
        if (withSources != null) {
            withSources.close();
        }
    }

    // ---------------------------------------------------------------- the Username

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesMqtt5UsernameThatDoesNotMatchTheCertificate(Transport transport) {
        Attempt attempt = assertConnack(transport, withSources, client1,
                connect(MqttVersion.V5, "mismatch-5-" + transport, "client-2"), ReasonCode.NOT_AUTHORIZED);

        assertThat(attempt.connack().reasonString()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesMqtt311UsernameThatDoesNotMatchTheCertificate(Transport transport) {
        assertConnack(transport, withSources, client1, connect(MqttVersion.V3_1_1, "mismatch-3-" + transport,
                "client-2"), 5);
    }

    @Test
    void givesTheSameRefusalTextForAWrongNameAndAnUnknownName() {
        Attempt wrong = assertConnack(Transport.MQTTS, withSources, client1,
                connect(MqttVersion.V5, "probe-wrong", "client-2"), ReasonCode.NOT_AUTHORIZED);
        Attempt unknown = assertConnack(Transport.MQTTS, withSources, client1,
                connect(MqttVersion.V5, "probe-unknown", "no-such-client"), ReasonCode.NOT_AUTHORIZED);

        // A peer must not learn which client names exist (SPEC 2.5).
        assertThat(wrong.connack().reasonString()).isEqualTo(unknown.connack().reasonString())
                .doesNotContain("client-2");
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void acceptsUsernameThatMatchesTheCertificateIgnoringCase(MqttVersion version) throws Exception {
        for (String username : List.of("client-1", "CLIENT-1")) {
            Attempt attempt = assertConnack(Transport.MQTTS, withSources, client1,
                    connect(version, "match-" + version + "-" + username, username), 0);
            attempt.connection().send(normalDisconnect());
            attempt.connection().close();
        }
    }

    @Test
    void acceptsMatchingUsernameOverSecureWebSockets() throws Exception {
        Attempt attempt = assertConnack(Transport.WSS, withSources, client1,
                connect(MqttVersion.V5, "match-wss", "client-1"), 0);
        attempt.connection().close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesEmptyUsernameAsMalformed(Transport transport) {
        Attempt attempt = assertConnack(transport, withSources, client1, connect(MqttVersion.V5, "empty-name", ""),
                ReasonCode.BAD_USER_NAME_OR_PASSWORD);

        assertThat(attempt.connack().reasonString()).isNotBlank();
    }

    @Test
    void refusesEmptyMqtt311UsernameWithBadUserNameOrPassword() {
        assertConnack(Transport.MQTTS, withSources, client1, connect(MqttVersion.V3_1_1, "empty-name-3", ""), 4);
    }

    @Test
    void refusesUsernameLongerThan128Characters() {
        assertConnack(Transport.MQTTS, withSources, client1,
                connect(MqttVersion.V5, "long-name", "n".repeat(129)), ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    // ---------------------------------------------------------------- names from the certificate

    @Test
    void takesTheNameFromTheFirstConfiguredSourceThatHasOne() throws Exception {
        try (TlsAuthLog log = new TlsAuthLog()) {
            Attempt fromCertificate = assertConnack(Transport.MQTTS, withSources, dnsAndCn,
                    connect(MqttVersion.V5, "order-probe", null), 0);
            String connected = "authName=" + DNS_NAME + " clientId=order-probe";
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.connectionLines())
                    .anyMatch(line -> line.startsWith("Client connected") && line.contains(connected)));

            // The session now belongs to the DNS name: the CN's client may not use it, the DNS name takes it over.
            assertConnack(Transport.MQTTS, withSources, dnsAndCn, connect(MqttVersion.V5, "order-probe", CN_NAME),
                    ReasonCode.NOT_AUTHORIZED);
            Attempt byDnsName = assertConnack(Transport.MQTTS, withSources, dnsAndCn,
                    connect(MqttVersion.V5, "order-probe", DNS_NAME), 0);
            assertThat(fromCertificate.connection().awaitClosed(TIMEOUT)).singleElement()
                    .isInstanceOfSatisfying(Disconnect.class,
                            d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER));
            byDnsName.connection().send(normalDisconnect());
            byDnsName.connection().close();
        }
    }

    @Test
    void fallsBackToTheSubjectWhenTheCertificateHasNoDnsName() throws Exception {
        try (TlsAuthLog log = new TlsAuthLog()) {
            Attempt attempt = assertConnack(Transport.MQTTS, withSources, client1,
                    connect(MqttVersion.V5, "subject-fallback", null), 0);

            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(log.connectionLines()).anyMatch(line ->
                    line.contains("authName=client-1 clientId=subject-fallback")));
            attempt.connection().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusesConnectWithoutUsernameWhenNoSourcesAreConfigured(Transport transport) throws Exception {
        SSLContext certificate = withoutSources.clientSslContext("client-1");

        Attempt attempt = assertConnack(transport, withoutSources, certificate,
                connect(MqttVersion.V5, "nameless-" + transport, null), ReasonCode.NOT_AUTHORIZED);
        assertThat(attempt.connack().reasonString()).contains("Username");
        assertConnack(transport, withoutSources, certificate,
                connect(MqttVersion.V3_1_1, "nameless-3-" + transport, null), 5);
        // The control: the same certificate with its name as Username is accepted.
        assertConnack(transport, withoutSources, certificate, connect(MqttVersion.V5, "named-" + transport,
                "client-1"), 0).connection().close();
    }

    // ---------------------------------------------------------------- the connection log

    @Test
    void logsRefusalWithReasonSubjectThumbprintAndRemoteButNoKey() throws Exception {
        DevPki.CertificateFiles files = withSources.clientFiles("client-1");
        String thumbprint = thumbprint(PemFiles.readCertificates(files.certificate()).get(0));

        try (TlsAuthLog log = new TlsAuthLog()) {
            // Refusal lines are rate-limited broker-wide; retry until a window lets this one through.
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Attempt attempt = assertConnack(Transport.MQTTS, withSources, client1,
                        connect(MqttVersion.V5, "logged-refusal", "client-2"), ReasonCode.NOT_AUTHORIZED);
                String remote = "remote=/127.0.0.1:" + attempt.connection().localPort();
                assertThat(log.connectionLines()).anySatisfy(line -> assertThat(line).startsWith("Connection refused")
                        .contains("does not match 'client-2'", "subject=\"CN=client-1\"", "thumbprint=" + thumbprint,
                                "clientId=logged-refusal", remote));
            });
            log.assertNoKeyMaterial(PemFiles.readPrivateKey(files.privateKey()));
        }
    }
}
