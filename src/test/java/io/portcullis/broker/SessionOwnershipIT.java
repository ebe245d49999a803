package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Attempt;
import io.portcullis.broker.TlsAuthProbe.Connection;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import static io.portcullis.broker.TlsAuthProbe.TIMEOUT;
import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.normalDisconnect;
import static io.portcullis.broker.TlsAuthProbe.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who may hold a session (SPEC 2.4): the same authentication name with the same ClientId takes the
 * session over, another name is refused, and {@code maximumClientSessionsPerAuthenticationName} (2 here)
 * counts online and offline sessions. Each test uses its own dev certificates so the per-name counts of
 * one test never reach another.
 */
class SessionOwnershipIT {
    private static final long KEEP_OFFLINE_SECONDS = 300;

    @TempDir
    static Path directory;
    static RunningBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory, config -> TlsAuthConfigs.withNamespace(new NamespaceSettings(
                config.namespace().alternativeAuthenticationNameSources(), 2)).apply(config));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    // ---------------------------------------------------------------- takeover

    @Test
    void sameNameAndClientIdTakesOverMqtt5SessionWithDisconnect0x8E() throws Exception {
        SSLContext client4 = broker.clientSslContext("client-4");
        Attempt old = assertConnack(Transport.MQTTS, broker, client4, connect(MqttVersion.V5, "take-5", null), 0);

        Attempt taker = assertConnack(Transport.MQTTS, broker, client4, connect(MqttVersion.V5, "take-5", null), 0);

        assertThat(old.connection().awaitClosed(TIMEOUT)).singleElement().isInstanceOfSatisfying(Disconnect.class,
                d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER));
        assertStillConnected(taker.connection());
        taker.connection().send(normalDisconnect());
        taker.connection().close();
    }

    @Test
    void takeoverComparesAuthenticationNamesIgnoringCase() throws Exception {
        // The first connection's name comes from the certificate subject (client-4), the second's from Username.
        SSLContext client4 = broker.clientSslContext("client-4");
        Attempt old = assertConnack(Transport.MQTTS, broker, client4, connect(MqttVersion.V5, "take-case", null), 0);

        Attempt taker = assertConnack(Transport.MQTTS, broker, client4,
                connect(MqttVersion.V5, "take-case", "CLIENT-4"), 0);

        assertThat(old.connection().awaitClosed(TIMEOUT)).singleElement().isInstanceOfSatisfying(Disconnect.class,
                d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER));
        taker.connection().send(normalDisconnect());
        taker.connection().close();
    }

    @Test
    void takeoverReachesAnOldConnectionOnTheOtherListener() throws Exception {
        SSLContext client4 = broker.clientSslContext("client-4");
        Attempt old = assertConnack(Transport.WSS, broker, client4, connect(MqttVersion.V5, "take-x", null), 0);

        Attempt taker = assertConnack(Transport.MQTTS, broker, client4, connect(MqttVersion.V5, "take-x", null), 0);

        assertThat(old.connection().awaitClosed(TIMEOUT)).singleElement().isInstanceOfSatisfying(Disconnect.class,
                d -> assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER));
        taker.connection().send(normalDisconnect());
        taker.connection().close();
    }

    @Test
    void sameNameAndClientIdTakesOverMqtt311SessionByClosingTheOldConnection() throws Exception {
        SSLContext selfSigned = broker.clientSslContext("selfsigned-1");
        Attempt old = assertConnack(Transport.MQTTS, broker, selfSigned,
                connect(MqttVersion.V3_1_1, "take-3", null), 0);

        Attempt taker = assertConnack(Transport.MQTTS, broker, selfSigned,
                connect(MqttVersion.V3_1_1, "take-3", null), 0);

        // MQTT 3.1.1 has no DISCONNECT from the server: the old connection just closes.
        assertThat(old.connection().awaitClosed(TIMEOUT)).isEmpty();
        assertStillConnected(taker.connection());
        taker.connection().send(normalDisconnect());
        taker.connection().close();
    }

    // ---------------------------------------------------------------- ownership by authentication name

    @Test
    void refusesClientIdOfAnOnlineSessionHeldByAnotherName() throws Exception {
        Attempt owner = assertConnack(Transport.MQTTS, broker, broker.clientSslContext("client-1"),
                connect(MqttVersion.V5, "owned-online", null), 0);

        SSLContext client2 = broker.clientSslContext("client-2");
        assertRefusalLogged("client-2", "the session name is in use by another authentication name", "owned-online",
                () -> {
                    Attempt intruder = assertConnack(Transport.MQTTS, broker, client2,
                            connect(MqttVersion.V5, "owned-online", null), ReasonCode.NOT_AUTHORIZED);
                    assertThat(intruder.connack().reasonString()).isNotBlank();
                    return intruder;
                });
        // The owner was not disturbed.
        assertStillConnected(owner.connection());
        owner.connection().send(normalDisconnect());
        owner.connection().close();
    }

    @Test
    void refusesClientIdOfAnOfflineSessionHeldByAnotherName() throws Exception {
        SSLContext client2 = broker.clientSslContext("client-2");
        Attempt owner = assertConnack(Transport.MQTTS, broker, client2,
                connect(MqttVersion.V5, "owned-offline", null, true, KEEP_OFFLINE_SECONDS), 0);
        owner.connection().send(normalDisconnect());
        assertThat(owner.connection().awaitClosed(TIMEOUT)).isEmpty();

        assertConnack(Transport.WSS, broker, broker.clientSslContext("client-1"),
                connect(MqttVersion.V3_1_1, "owned-offline", null), 5);

        // The owner still finds its session, then ends it.
        Attempt back = assertConnack(Transport.MQTTS, broker, client2,
                connect(MqttVersion.V5, "owned-offline", null, false, 0), 0);
        assertThat(back.connack().sessionPresent()).isTrue();
        back.connection().send(normalDisconnect());
        back.connection().close();
    }

    // ---------------------------------------------------------------- sessions per authentication name

    @Test
    void capsSessionsPerNameCountingOfflineOnes() throws Exception {
        SSLContext client3 = broker.clientSslContext("client-3");
        Attempt offline = assertConnack(Transport.MQTTS, broker, client3,
                connect(MqttVersion.V5, "cap-offline", null, true, KEEP_OFFLINE_SECONDS), 0);
        offline.connection().send(normalDisconnect());
        assertThat(offline.connection().awaitClosed(TIMEOUT)).isEmpty();
        Attempt online = assertConnack(Transport.MQTTS, broker, client3,
                connect(MqttVersion.V5, "cap-online", null), 0);

        assertRefusalLogged("client-3", "maximum of 2 sessions", "cap-third", () -> assertConnack(Transport.MQTTS,
                broker, client3, connect(MqttVersion.V5, "cap-third", null), ReasonCode.NOT_AUTHORIZED));
        assertConnack(Transport.WSS, broker, client3, connect(MqttVersion.V3_1_1, "cap-third", null), 5);

        // At the cap a held session can still be resumed: the cap counts sessions, not connections.
        Attempt resumed = assertConnack(Transport.MQTTS, broker, client3,
                connect(MqttVersion.V5, "cap-offline", null, false, KEEP_OFFLINE_SECONDS), 0);
        assertThat(resumed.connack().sessionPresent()).isTrue();
        resumed.connection().send(normalDisconnect());
        assertThat(resumed.connection().awaitClosed(TIMEOUT)).isEmpty();

        // Ending one session (expiry 0, then DISCONNECT) makes room for a new ClientId.
        online.connection().send(normalDisconnect());
        assertThat(online.connection().awaitClosed(TIMEOUT)).isEmpty();
        Attempt[] admitted = new Attempt[1];
        await().atMost(TIMEOUT).untilAsserted(() -> admitted[0] = assertConnack(Transport.MQTTS, broker, client3,
                connect(MqttVersion.V5, "cap-third", null), 0));
        admitted[0].connection().send(normalDisconnect());
        admitted[0].connection().close();

        Attempt ending = assertConnack(Transport.MQTTS, broker, client3,
                connect(MqttVersion.V5, "cap-offline", null, true, 0), 0);
        ending.connection().send(normalDisconnect());
        ending.connection().close();
    }

    // ---------------------------------------------------------------- helpers

    private static void assertStillConnected(Connection connection) throws Exception {
        connection.send(Pingreq.INSTANCE);
        assertThat(connection.receive(TIMEOUT)).isInstanceOf(Pingresp.class);
    }

    /**
     * Runs a refusal and asserts its connection-log line: reason, certificate subject and thumbprint, remote
     * address; and no key material anywhere in the log.
     */
    private static void assertRefusalLogged(String certificateName, String reason, String clientId,
                                            Callable<Attempt> refusal) throws Exception {
        DevPki.CertificateFiles files = broker.clientFiles(certificateName);
        String thumbprint = thumbprint(PemFiles.readCertificates(files.certificate()).get(0));

        try (TlsAuthLog log = new TlsAuthLog()) {
            // Refusal lines are rate-limited broker-wide (50 per 10 s): should other tests have used up the
            // window, refuse again until a new window lets a line through.
            await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                String remote = "remote=/127.0.0.1:" + refusal.call().connection().localPort();
                assertThat(log.connectionLines()).anySatisfy(line -> assertThat(line).startsWith("Connection refused")
                        .contains(reason, "subject=\"CN=" + certificateName + "\"", "thumbprint=" + thumbprint,
                                "authName=" + certificateName, "clientId=" + clientId, remote));
            });
            log.assertNoKeyMaterial(PemFiles.readPrivateKey(files.privateKey()));
        }
    }
}
