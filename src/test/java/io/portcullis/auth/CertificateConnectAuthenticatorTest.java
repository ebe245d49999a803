package io.portcullis.auth;

import io.portcullis.auth.AuthenticationResult.Authenticated;
import io.portcullis.auth.AuthenticationResult.Refused;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Registry;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.TestCertificates;
import io.portcullis.testsupport.TestCertificates.Issued;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.portcullis.registry.AuthenticationNameSource.ClientCertificateDns;
import static io.portcullis.registry.AuthenticationNameSource.ClientCertificateEmail;
import static io.portcullis.registry.AuthenticationNameSource.ClientCertificateIp;
import static io.portcullis.registry.AuthenticationNameSource.ClientCertificateSubject;
import static io.portcullis.registry.AuthenticationNameSource.ClientCertificateUri;
import static io.portcullis.registry.ValidationScheme.DnsMatchesAuthenticationName;
import static io.portcullis.registry.ValidationScheme.EmailMatchesAuthenticationName;
import static io.portcullis.registry.ValidationScheme.IpMatchesAuthenticationName;
import static io.portcullis.registry.ValidationScheme.SubjectMatchesAuthenticationName;
import static io.portcullis.registry.ValidationScheme.ThumbprintMatch;
import static io.portcullis.registry.ValidationScheme.UriMatchesAuthenticationName;
import static org.assertj.core.api.Assertions.assertThat;

class CertificateConnectAuthenticatorTest {
    private static final Instant NOW = Instant.now();
    private static final Issued ROOT = TestCertificates.rootCa("Auth Root");
    private static final Issued INTERMEDIATE = TestCertificates.intermediateCa("Auth Intermediate", ROOT);
    private static final Issued SENSOR = TestCertificates.certificate("CN=sensor-1,O=Acme").issuer(INTERMEDIATE)
            .dns("sensor-1.example.com").dns("alias.example.com").uri("spiffe://acme/sensor-1")
            .ip("10.0.0.7").ip("2001:db8::7").email("sensor-1@example.com").build();
    private static final Issued BARE = TestCertificates.certificate("O=Acme").issuer(INTERMEDIATE).build();
    private static final Issued SELF_SIGNED = TestCertificates.certificate("CN=sensor-1,O=Acme").build();
    private static final Issued OTHER_SELF_SIGNED = TestCertificates.certificate("CN=spare").build();
    private static final String SELF_THUMBPRINT = CertificateFields.thumbprint(SELF_SIGNED.certificate());
    private static final String OTHER_THUMBPRINT = CertificateFields.thumbprint(OTHER_SELF_SIGNED.certificate());

    private final CertificateConnectAuthenticator authenticator = authenticator(SubjectNameMatch.CommonName, NOW);

    static Stream<Arguments> schemes() {
        return Stream.of(
                Arguments.of("subject CN equals name", client("sensor-1", SubjectMatchesAuthenticationName),
                        "sensor-1", SENSOR, true),
                Arguments.of("subject CN equals name ignoring case", client("Sensor-1",
                        SubjectMatchesAuthenticationName), "SENSOR-1", SENSOR, true),
                Arguments.of("subject CN differs", client("sensor-2", SubjectMatchesAuthenticationName),
                        "sensor-2", SENSOR, false),
                Arguments.of("subject without CN", client("sensor-1", SubjectMatchesAuthenticationName),
                        "sensor-1", BARE, false),
                Arguments.of("DNS SAN equals name", client("sensor-1.example.com", DnsMatchesAuthenticationName),
                        "sensor-1.example.com", SENSOR, true),
                Arguments.of("second DNS SAN equals name", client("alias.example.com", DnsMatchesAuthenticationName),
                        "ALIAS.example.com", SENSOR, true),
                Arguments.of("DNS SAN differs", client("other.example.com", DnsMatchesAuthenticationName),
                        "other.example.com", SENSOR, false),
                Arguments.of("DNS scheme does not accept the CN", client("sensor-1", DnsMatchesAuthenticationName),
                        "sensor-1", SENSOR, false),
                Arguments.of("URI SAN equals name", client("spiffe://acme/sensor-1", UriMatchesAuthenticationName),
                        "spiffe://acme/sensor-1", SENSOR, true),
                Arguments.of("URI SAN differs", client("spiffe://acme/sensor-2", UriMatchesAuthenticationName),
                        "spiffe://acme/sensor-2", SENSOR, false),
                Arguments.of("IPv4 SAN equals name", client("10.0.0.7", IpMatchesAuthenticationName),
                        "10.0.0.7", SENSOR, true),
                Arguments.of("IPv6 SAN equals name in another spelling", client("2001:DB8:0:0::7",
                        IpMatchesAuthenticationName), "2001:DB8:0:0::7", SENSOR, true),
                Arguments.of("IP SAN differs", client("10.0.0.8", IpMatchesAuthenticationName),
                        "10.0.0.8", SENSOR, false),
                Arguments.of("IP scheme with a name that is no address", client("sensor-1",
                        IpMatchesAuthenticationName), "sensor-1", SENSOR, false),
                Arguments.of("email SAN equals name", client("sensor-1@example.com", EmailMatchesAuthenticationName),
                        "Sensor-1@Example.com", SENSOR, true),
                Arguments.of("email SAN differs", client("sensor-2@example.com", EmailMatchesAuthenticationName),
                        "sensor-2@example.com", SENSOR, false),
                Arguments.of("primary thumbprint", thumbprintClient("self-1", SELF_THUMBPRINT, OTHER_THUMBPRINT),
                        "self-1", SELF_SIGNED, true),
                Arguments.of("secondary thumbprint", thumbprintClient("self-1", OTHER_THUMBPRINT, SELF_THUMBPRINT),
                        "self-1", SELF_SIGNED, true),
                Arguments.of("thumbprint registered in lower case", thumbprintClient("self-1",
                        SELF_THUMBPRINT.toLowerCase()), "self-1", SELF_SIGNED, true),
                Arguments.of("thumbprint differs", thumbprintClient("self-1", OTHER_THUMBPRINT),
                        "self-1", SELF_SIGNED, false),
                Arguments.of("thumbprint client with a CA-signed certificate it did not register",
                        thumbprintClient("sensor-1", OTHER_THUMBPRINT), "sensor-1", SENSOR, false),
                Arguments.of("CA-scheme client with a self-signed certificate", client("sensor-1",
                        SubjectMatchesAuthenticationName), "sensor-1", SELF_SIGNED, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void checksTheClientsValidationScheme(String description, Client client, String username, Issued leaf,
                                          boolean isAccepted) {
        // The spare thumbprint client lets the self-signed certificate exist in a registry where the
        // handshake would have admitted it, so only the CONNECT-time scheme check can refuse it.
        Client spare = thumbprintClient("spare", SELF_THUMBPRINT);
        Registry registry = registry(List.of(), client, spare);

        AuthenticationResult result = authenticator.authenticate(credentials(username, leaf), registry);

        if (isAccepted) {
            assertThat(result).isInstanceOfSatisfying(Authenticated.class,
                    accepted -> assertThat(accepted.identity().client()).isEqualTo(client));
        } else {
            assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
                assertThat(refused.reasonCode()).isEqualTo(0x87);
                assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.NOT_AUTHORIZED_TEXT);
                assertThat(refused.logReason()).contains(client.name());
                assertThat(refused.certificateThumbprint())
                        .isEqualTo(CertificateFields.thumbprint(leaf.certificate()));
            });
        }
    }

    static Stream<Arguments> alternativeSources() {
        return Stream.of(
                Arguments.of(List.of(ClientCertificateSubject), "sensor-1"),
                Arguments.of(List.of(ClientCertificateDns), "sensor-1.example.com"),
                Arguments.of(List.of(ClientCertificateUri), "spiffe://acme/sensor-1"),
                Arguments.of(List.of(ClientCertificateIp), "10.0.0.7"),
                Arguments.of(List.of(ClientCertificateEmail), "sensor-1@example.com"),
                Arguments.of(List.of(ClientCertificateDns, ClientCertificateSubject), "sensor-1.example.com"),
                Arguments.of(List.of(ClientCertificateSubject, ClientCertificateDns), "sensor-1"),
                Arguments.of(List.of(ClientCertificateEmail, ClientCertificateUri), "sensor-1@example.com"));
    }

    @ParameterizedTest(name = "{0} gives {1}")
    @MethodSource("alternativeSources")
    void readsTheNameFromTheFirstConfiguredCertificateField(List<AuthenticationNameSource> sources, String name) {
        Registry registry = registry(sources,
                client("sensor-1", SubjectMatchesAuthenticationName),
                client("sensor-1.example.com", DnsMatchesAuthenticationName),
                client("spiffe://acme/sensor-1", UriMatchesAuthenticationName),
                client("10.0.0.7", IpMatchesAuthenticationName),
                client("sensor-1@example.com", EmailMatchesAuthenticationName));

        AuthenticationResult result = authenticator.authenticate(credentials(null, SENSOR), registry);

        assertThat(result).isInstanceOfSatisfying(Authenticated.class,
                accepted -> assertThat(accepted.identity().authenticationName()).isEqualTo(name));
    }

    @Test
    void skipsAnEmptyCertificateFieldAndTakesTheNext() {
        Registry registry = registry(List.of(ClientCertificateUri, ClientCertificateDns, ClientCertificateSubject),
                client("sensor-1", SubjectMatchesAuthenticationName));

        AuthenticationResult result = authenticator.authenticate(credentials(null, BARE), registry);

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reasonCode()).isEqualTo(0x87);
            assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.NO_NAME_TEXT);
        });
        Issued commonNameOnly = TestCertificates.certificate("CN=sensor-1").issuer(INTERMEDIATE).build();
        assertThat(authenticator.authenticate(credentials(null, commonNameOnly), registry))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void findsAnIpNamedClientRegisteredInAnotherSpelling() {
        Registry registry = registry(List.of(ClientCertificateIp), client("10.0.0.7", IpMatchesAuthenticationName));
        Issued v6 = TestCertificates.certificate("CN=v6").issuer(INTERMEDIATE).ip("2001:db8::9").build();
        Registry v6Registry = registry(List.of(ClientCertificateIp),
                client("2001:DB8::0:9", IpMatchesAuthenticationName));

        assertThat(authenticator.authenticate(credentials(null, SENSOR), registry)).isInstanceOf(Authenticated.class);
        assertThat(authenticator.authenticate(credentials(null, v6), v6Registry)).isInstanceOf(Authenticated.class);
    }

    @Test
    void prefersTheUsernameOverCertificateFields() {
        Registry registry = registry(List.of(ClientCertificateSubject),
                client("sensor-1", SubjectMatchesAuthenticationName),
                client("sensor-1.example.com", DnsMatchesAuthenticationName));

        AuthenticationResult result = authenticator.authenticate(credentials("sensor-1.example.com", SENSOR), registry);

        assertThat(result).isInstanceOfSatisfying(Authenticated.class,
                accepted -> assertThat(accepted.identity().client().name()).isEqualTo("sensor-1.example.com"));
    }

    @Test
    void refusesWhenNoNameIsPresented() {
        Registry registry = registry(List.of(), client("sensor-1", SubjectMatchesAuthenticationName));

        AuthenticationResult result = authenticator.authenticate(credentials(null, SENSOR), registry);

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reasonCode()).isEqualTo(0x87);
            assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.NO_NAME_TEXT);
            assertThat(refused.certificateSubject()).isEqualTo("CN=sensor-1,O=Acme");
        });
    }

    static Stream<Arguments> malformedUsernames() {
        return Stream.of(Arguments.of(""), Arguments.of("a".repeat(129)), Arguments.of("\uD83D\uDE00".repeat(129)));
    }

    @ParameterizedTest
    @MethodSource("malformedUsernames")
    void refusesMalformedUsernameWithBadUserName(String username) {
        Registry registry = registry(List.of(ClientCertificateSubject),
                client("sensor-1", SubjectMatchesAuthenticationName));

        AuthenticationResult result = authenticator.authenticate(credentials(username, SENSOR), registry);

        assertThat(result).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.reasonCode()).isEqualTo(0x86);
            assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.BAD_USER_NAME_TEXT);
        });
    }

    @Test
    void countsUsernameLengthInCharactersNotBytes() {
        String name = "\u00e9".repeat(128);
        Client named = new Client("long-name", name, ThumbprintMatch, List.of(SELF_THUMBPRINT), ClientState.Enabled,
                Map.of(), "");

        assertThat(authenticator.authenticate(credentials(name, SELF_SIGNED), registry(List.of(), named)))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void refusesDisabledAndUnknownClientsWithTheSameText() {
        Client disabled = new Client("sensor-1", "sensor-1", SubjectMatchesAuthenticationName, List.of(),
                ClientState.Disabled, Map.of(), "");
        Registry registry = registry(List.of(), disabled, client("sensor-2", SubjectMatchesAuthenticationName));

        Refused disabledResult = (Refused) authenticator.authenticate(credentials("sensor-1", SENSOR), registry);
        Refused unknownResult = (Refused) authenticator.authenticate(credentials("nobody", SENSOR), registry);
        Refused mismatchResult = (Refused) authenticator.authenticate(credentials("sensor-2", SENSOR), registry);

        assertThat(disabledResult.reasonCode()).isEqualTo(0x87);
        assertThat(unknownResult.reasonCode()).isEqualTo(0x87);
        assertThat(disabledResult.reasonString()).isEqualTo(unknownResult.reasonString())
                .isEqualTo(mismatchResult.reasonString());
        assertThat(disabledResult.logReason()).contains("disabled");
        assertThat(unknownResult.logReason()).contains("no client has authentication name 'nobody'");
        assertThat(mismatchResult.logReason()).contains("does not match");
        assertThat(disabledResult.authenticationName()).isEqualTo("sensor-1");
        assertThat(unknownResult.authenticationName()).isEqualTo("nobody");
        assertThat(mismatchResult.authenticationName()).isEqualTo("sensor-2");
    }

    @Test
    void letsOneThumbprintServeSeveralClients() {
        Registry registry = registry(List.of(), thumbprintClient("pump-1", SELF_THUMBPRINT),
                thumbprintClient("pump-2", OTHER_THUMBPRINT, SELF_THUMBPRINT));

        assertThat(authenticator.authenticate(credentials("pump-1", SELF_SIGNED), registry))
                .isInstanceOf(Authenticated.class);
        assertThat(authenticator.authenticate(credentials("pump-2", SELF_SIGNED), registry))
                .isInstanceOf(Authenticated.class);
    }

    @Test
    void refusesCaSchemeClientWhenTheChainLeadsToAnUnregisteredCa() {
        Issued foreign = TestCertificates.certificate("CN=sensor-1").issuer(TestCertificates.rootCa("Foreign"))
                .build();
        Registry registry = registry(List.of(), client("sensor-1", SubjectMatchesAuthenticationName));

        Refused refused = (Refused) authenticator.authenticate(credentials("sensor-1", foreign), registry);

        assertThat(refused.reasonCode()).isEqualTo(0x87);
        assertThat(refused.logReason()).contains("the client sent only its leaf and no certificate of its issuer"
                + " 'CN=Foreign");
    }

    @Test
    void refusesCertificateThatExpiredAfterTheHandshake() {
        Instant later = SENSOR.certificate().getNotAfter().toInstant().plus(Duration.ofMinutes(1));
        Registry registry = registry(List.of(), client("sensor-1", SubjectMatchesAuthenticationName));

        Refused refused = (Refused) authenticator(SubjectNameMatch.CommonName, later)
                .authenticate(credentials("sensor-1", SENSOR), registry);

        assertThat(refused.reasonCode()).isEqualTo(0x87);
        assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.CERTIFICATE_DATES_TEXT);
        assertThat(refused.logReason()).isEqualTo("client certificate expired on "
                + SENSOR.certificate().getNotAfter().toInstant() + "; issue the client a current certificate, or"
                + " check the clocks of client and broker");
    }

    @Test
    void refusesAChainTheAdminTrustHoldsAlsoWhenTheHandshakeDidNotLookAgain() {
        // A resumed TLS session, or admin trust changed since the handshake: CONNECT asks the verifier again.
        RegistryCertificateVerifier verifier = new RegistryCertificateVerifier(new CertificateTrust(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        verifier.updateAdminTrust(List.of(), List.of(CertificateFields.thumbprint(SENSOR.certificate())));
        CertificateConnectAuthenticator checked = new CertificateConnectAuthenticator(new CertificateTrust(),
                SubjectNameMatch.CommonName, Clock.fixed(NOW, ZoneOffset.UTC), verifier::isAdminChain);
        Issued other = TestCertificates.certificate("CN=sensor-2").issuer(INTERMEDIATE).build();
        Registry registry = registry(List.of(), client("sensor-1", SubjectMatchesAuthenticationName),
                client("sensor-2", SubjectMatchesAuthenticationName));

        Refused refused = (Refused) checked.authenticate(credentials("sensor-1", SENSOR), registry);

        assertThat(refused.reasonCode()).isEqualTo(0x87);
        assertThat(refused.reasonString()).isEqualTo(CertificateConnectAuthenticator.NOT_AUTHORIZED_TEXT);
        assertThat(refused.logReason()).isEqualTo("client certificate is " + TrustSeparation.ADMIN_CERTIFICATE);
        assertThat(checked.authenticate(credentials("sensor-2", other), registry)).isInstanceOf(Authenticated.class);

        verifier.updateAdminTrust(List.of(), List.of());
        assertThat(checked.authenticate(credentials("sensor-1", SENSOR), registry)).isInstanceOf(Authenticated.class);
    }

    @Test
    void matchesTheWholeDistinguishedNameWhenConfigured() {
        CertificateConnectAuthenticator byDn = authenticator(SubjectNameMatch.DistinguishedName, NOW);
        Registry registry = registry(List.of(ClientCertificateSubject),
                client("CN=sensor-1,O=Acme", SubjectMatchesAuthenticationName),
                client("cn=Sensor-1, o=ACME, c=US", SubjectMatchesAuthenticationName));

        assertThat(byDn.authenticate(credentials(null, SENSOR), registry)).isInstanceOf(Authenticated.class);
        assertThat(byDn.authenticate(credentials("cn=SENSOR-1,  o=acme", SENSOR), registry(List.of(),
                client("cn=SENSOR-1,  o=acme", SubjectMatchesAuthenticationName)))).isInstanceOf(Authenticated.class);
        assertThat(byDn.authenticate(credentials("cn=Sensor-1, o=ACME, c=US", SENSOR), registry))
                .isInstanceOf(Refused.class);
        assertThat(byDn.authenticate(credentials("sensor-1", SENSOR), registry(List.of(),
                client("sensor-1", SubjectMatchesAuthenticationName)))).isInstanceOf(Refused.class);
    }

    @Test
    void describesTheCertificateInTheIdentity() {
        Client client = client("sensor-1", SubjectMatchesAuthenticationName);
        X509Certificate certificate = SENSOR.certificate();

        Authenticated result = (Authenticated) authenticator.authenticate(credentials("sensor-1", SENSOR),
                registry(List.of(), client));

        Identity identity = result.identity();
        assertThat(identity.client()).isEqualTo(client);
        assertThat(identity.certificateSubject()).isEqualTo("CN=sensor-1,O=Acme");
        assertThat(identity.certificateSerial()).isEqualTo(CertificateFields.serialHex(certificate.getSerialNumber()))
                .matches("([0-9A-F]{2})+");
        assertThat(identity.certificateThumbprint()).matches("[0-9A-F]{64}");
        assertThat(identity.certificateNotAfter()).isEqualTo(certificate.getNotAfter().toInstant());
    }

    private static CertificateConnectAuthenticator authenticator(SubjectNameMatch match, Instant now) {
        return new CertificateConnectAuthenticator(new CertificateTrust(), match, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static ConnectCredentials credentials(String username, Issued leaf) {
        List<X509Certificate> chain = leaf.certificate().getIssuerX500Principal()
                .equals(INTERMEDIATE.certificate().getSubjectX500Principal())
                ? List.of(leaf.certificate(), INTERMEDIATE.certificate()) : List.of(leaf.certificate());
        return new ConnectCredentials(username, chain, "127.0.0.1:50000");
    }

    private static Client client(String authenticationName, ValidationScheme scheme) {
        return new Client(authenticationName.replaceAll("[^A-Za-z0-9-:._]", "_"), authenticationName, scheme,
                List.of(), ClientState.Enabled, Map.of(), "");
    }

    private static Client thumbprintClient(String name, String... thumbprints) {
        return new Client(name, name, ThumbprintMatch, List.of(thumbprints), ClientState.Enabled, Map.of(), "");
    }

    private static Registry registry(List<AuthenticationNameSource> sources, Client... clients) {
        return new Registry(new NamespaceSettings(sources, 1),
                List.of(new CaCertificate("root-ca", "", ROOT.certificate())), List.of(clients), List.of(),
                List.of(), List.of());
    }
}
