package io.portcullis.broker;

import io.portcullis.broker.TlsAuthProbe.Attempt;
import io.portcullis.broker.TlsAuthProbe.Transport;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.portcullis.broker.TlsAuthProbe.assertConnack;
import static io.portcullis.broker.TlsAuthProbe.assertRefusedByTls;
import static io.portcullis.broker.TlsAuthProbe.connect;
import static io.portcullis.broker.TlsAuthProbe.context;
import static io.portcullis.broker.TlsAuthProbe.normalDisconnect;
import static io.portcullis.broker.TlsAuthProbe.thumbprint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The six validation schemes end to end (SPEC 2.3): for each, a generated certificate whose field matches
 * the client's authentication name is accepted and one whose field differs is refused with CONNACK 0x87,
 * after a handshake the certificate passed. ThumbprintMatch accepts the primary and the secondary
 * thumbprint; disabled clients are refused; a CA-based scheme is not satisfied by a certificate that passed
 * the handshake only through some client's thumbprint.
 */
class ValidationSchemesIT {
    /** Expected outcome: refused in the TLS handshake instead of a CONNACK. */
    private static final int TLS_REFUSAL = -1;

    @TempDir
    static Path directory;
    static RunningBroker broker;
    static final List<Arguments> CASES = new ArrayList<>();
    static final Map<String, IssuedCertificate> CERTIFICATES = new HashMap<>();

    @BeforeAll
    static void startBroker() throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 4);
        IssuedCertificate ca = TlsAuthProbe.devIntermediate(pki);
        List<Client> clients = new ArrayList<>();

        clients.add(client("vs-subject", "vs-subject", ValidationScheme.SubjectMatchesAuthenticationName));
        accept("Subject: CN equals the name", issue(ca, "vs-subject", SubjectAltNames.NONE), "vs-subject");
        refuse("Subject: another CN", issue(ca, "vs-subject-2", SubjectAltNames.NONE), "vs-subject");

        clients.add(client("vs-dns", "vs-dns.example.test", ValidationScheme.DnsMatchesAuthenticationName));
        accept("Dns: the second SAN DNS entry equals the name", issue(ca, "box-1",
                sans(List.of("other.example.test", "vs-dns.example.test"), List.of(), List.of(), List.of())),
                "vs-dns.example.test");
        refuse("Dns: only the CN equals the name", issue(ca, "vs-dns.example.test",
                sans(List.of("vs-dns.example.org"), List.of(), List.of(), List.of())), "vs-dns.example.test");

        clients.add(client("vs-uri", "urn:example:vs-uri", ValidationScheme.UriMatchesAuthenticationName));
        accept("Uri: a SAN URI equals the name", issue(ca, "box-2",
                sans(List.of(), List.of(), List.of("urn:example:vs-uri"), List.of())), "urn:example:vs-uri");
        refuse("Uri: another SAN URI", issue(ca, "box-3",
                sans(List.of(), List.of(), List.of("urn:example:vs-uri-2"), List.of())), "urn:example:vs-uri");

        clients.add(client("vs-ip", "10.20.30.40", ValidationScheme.IpMatchesAuthenticationName));
        accept("Ip: a SAN IPv4 address equals the name", issue(ca, "box-4",
                sans(List.of(), List.of("10.20.30.40"), List.of(), List.of())), "10.20.30.40");
        refuse("Ip: another SAN IPv4 address", issue(ca, "box-5",
                sans(List.of("10.20.30.40"), List.of("10.20.30.41"), List.of(), List.of())), "10.20.30.40");
        clients.add(client("vs-ip6", "2001:db8::7", ValidationScheme.IpMatchesAuthenticationName));
        accept("Ip: the same IPv6 address spelled differently", issue(ca, "box-6",
                sans(List.of(), List.of("2001:DB8:0:0::7"), List.of(), List.of())), "2001:db8::7");

        clients.add(client("vs-email", "vs-email@example.test", ValidationScheme.EmailMatchesAuthenticationName));
        accept("Email: a SAN email equals the name", issue(ca, "box-7",
                sans(List.of(), List.of(), List.of(), List.of("vs-email@example.test"))), "vs-email@example.test");
        refuse("Email: another SAN email", issue(ca, "box-8",
                sans(List.of(), List.of(), List.of(), List.of("vs-email-2@example.test"))), "vs-email@example.test");

        IssuedCertificate primary = CertificateIssuer.selfSignedClient("vs-thumb-a");
        IssuedCertificate secondary = CertificateIssuer.selfSignedClient("vs-thumb-b");
        IssuedCertificate otherThumbprint = CertificateIssuer.selfSignedClient("vs-thumb-other");
        IssuedCertificate selfSignedSubject = CertificateIssuer.selfSignedClient("vs-subject");
        clients.add(new Client("vs-thumb", "vs-thumb", ValidationScheme.ThumbprintMatch,
                List.of(thumbprint(primary.certificate()), thumbprint(secondary.certificate())),
                ClientState.Enabled, Map.of(), "Primary and secondary thumbprint"));
        clients.add(new Client("vs-thumb-other", "vs-thumb-other", ValidationScheme.ThumbprintMatch,
                List.of(thumbprint(otherThumbprint.certificate()), thumbprint(selfSignedSubject.certificate())),
                ClientState.Enabled, Map.of(), "Lets two more self-signed certificates through the handshake"));
        accept("Thumbprint: the primary thumbprint", primary, "vs-thumb");
        accept("Thumbprint: the secondary thumbprint", secondary, "vs-thumb");
        refuse("Thumbprint: a thumbprint registered for another client", otherThumbprint, "vs-thumb");
        refuse("Thumbprint: a CA-signed certificate named like the client", issue(ca, "vs-thumb",
                SubjectAltNames.NONE), "vs-thumb");
        refuse("Subject: a self-signed certificate admitted only by another client's thumbprint", selfSignedSubject,
                "vs-subject");

        clients.add(new Client("vs-disabled", "vs-disabled", ValidationScheme.SubjectMatchesAuthenticationName,
                List.of(), ClientState.Disabled, Map.of(), "Disabled"));
        refuse("Disabled: the certificate matches", issue(ca, "vs-disabled", SubjectAltNames.NONE), "vs-disabled");
        IssuedCertificate disabledThumbprint = CertificateIssuer.selfSignedClient("vs-disabled-thumb");
        clients.add(new Client("vs-disabled-thumb", "vs-disabled-thumb", ValidationScheme.ThumbprintMatch,
                List.of(thumbprint(disabledThumbprint.certificate())), ClientState.Disabled, Map.of(), "Disabled"));
        add("Disabled thumbprint: refused in the handshake", disabledThumbprint, "vs-disabled-thumb", TLS_REFUSAL);

        broker = RunningBroker.start(directory, TlsAuthConfigs.withExtraClients(clients));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Stream<Arguments> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesByTheClientsValidationScheme(IssuedCertificate certificate, String username, int expected)
            throws Exception {
        if (expected == TLS_REFUSAL) {
            assertRefusedByTls(Transport.MQTTS, broker, context(certificate, broker),
                    connect(MqttVersion.V5, "vs-tls-" + username, username));
            return;
        }

        Attempt attempt = assertConnack(Transport.MQTTS, broker, context(certificate, broker),
                connect(MqttVersion.V5, "vs-" + username, username), expected);

        if (expected == 0) {
            attempt.connection().send(normalDisconnect());
            attempt.connection().close();
        } else {
            assertThat(attempt.connack().reasonString()).isNotBlank();
        }
    }

    @Test
    void decidesTheSameOverSecureWebSockets() throws Exception {
        assertConnack(Transport.WSS, broker, context(certificate("Dns: the second SAN DNS entry equals the name"),
                broker), connect(MqttVersion.V5, "vs-wss-dns", "vs-dns.example.test"), 0).connection().close();
        assertConnack(Transport.WSS, broker, context(certificate("Thumbprint: the secondary thumbprint"), broker),
                connect(MqttVersion.V5, "vs-wss-thumb", "vs-thumb"), 0).connection().close();
        assertConnack(Transport.WSS, broker, context(certificate("Dns: only the CN equals the name"), broker),
                connect(MqttVersion.V5, "vs-wss-dns-2", "vs-dns.example.test"), ReasonCode.NOT_AUTHORIZED);
        assertConnack(Transport.WSS, broker, context(certificate("Email: another SAN email"), broker),
                connect(MqttVersion.V3_1_1, "vs-wss-email", "vs-email@example.test"), 5);
    }

    // ---------------------------------------------------------------- building the table

    private static IssuedCertificate certificate(String description) {
        return CERTIFICATES.get(description);
    }

    private static void accept(String description, IssuedCertificate certificate, String username) {
        add(description, certificate, username, 0);
    }

    private static void refuse(String description, IssuedCertificate certificate, String username) {
        add(description, certificate, username, ReasonCode.NOT_AUTHORIZED);
    }

    private static void add(String description, IssuedCertificate certificate, String username, int expected) {
        CERTIFICATES.put(description, certificate);
        CASES.add(Arguments.of(Named.of(description, certificate), username, expected));
    }

    private static Client client(String name, String authenticationName, ValidationScheme scheme) {
        return new Client(name, authenticationName, scheme, List.of(), ClientState.Enabled, Map.of(),
                "Validation scheme " + scheme);
    }

    private static IssuedCertificate issue(IssuedCertificate ca, String commonName, SubjectAltNames sans) {
        return CertificateIssuer.client(ca, commonName, KeyAlgorithm.EcP256, sans, Validity.defaultLeaf());
    }

    private static SubjectAltNames sans(List<String> dns, List<String> ip, List<String> uri, List<String> email) {
        return new SubjectAltNames(dns, ip, uri, email);
    }
}
