package io.portcullis.config;

import io.portcullis.testsupport.TestCertificates;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The accept limits, TLS extras, revocation and admin sections: values, defaults, round trip, problems. */
class LifecycleSectionsTest {
    @TempDir
    Path directory;

    private ConfigFixture fixture;

    @BeforeEach
    void writePki() throws Exception {
        fixture = new ConfigFixture(directory);
        fixture.write("pki/intermediate.crl", crlPem());
        fixture.write("admin/admin-ca.pem", TestCertificates.pem(ConfigFixture.ROOT));
    }

    private static String crlPem() throws OperatorCreationException, CRLException {
        X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(ConfigFixture.INTERMEDIATE.certificate(),
                Date.from(Instant.now()));
        builder.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(7))));
        builder.addCRLEntry(ConfigFixture.CLIENT.certificate().getSerialNumber(), new Date(), CRLReason.keyCompromise);
        var crl = new JcaX509CRLConverter().getCRL(builder.build(new JcaContentSignerBuilder("SHA384withECDSA")
                .build(ConfigFixture.INTERMEDIATE.privateKey())));
        return TestCertificates.pem(crl);
    }

    private static Map<String, String> lifecycleSections() {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put("listeners", """
                listeners:
                  mqtts: { port: 18883, bindAddress: 127.0.0.1 }
                  websocket: { port: 18443, bindAddress: 127.0.0.1 }
                  acceptLimits: { perSecond: 300, burst: 600, perSourcePerSecond: 5, perSourceBurst: 9,
                                  maximumHandshakesInProgress: 700, maximumHandshakesInProgressPerSource: 0 }
                """);
        sections.put("tls", ConfigFixture.validSections().get("tls") + """
                  certificateExpiryWarning: 14d
                  sessionTickets: { enabled: false, keyRotationInterval: 30m, lifetime: 4h }
                  ocspStapling: { enabled: true, responderUrl: "http://127.0.0.1:8081/ocsp" }
                """);
        sections.put("revocation", """
                revocation:
                  crlFiles: [pki/intermediate.crl]
                  crlDistributionPoints: true
                  crlCacheTime: 10m
                  ocsp: { enabled: true, responderUrl: "http://127.0.0.1:8080/", cacheTime: 2m }
                  fetchTimeout: 2s
                  whenUnavailable: FailOpen
                  liveSessionRecheckInterval: 15s
                """);
        sections.put("admin", """
                admin:
                  enabled: true
                  port: 19443
                  caCertificates: [admin/admin-ca.pem]
                  thumbprints: [%s]
                """.formatted("cd".repeat(32)));
        return sections;
    }

    @Test
    void readsEverySetting() throws ConfigException {
        BrokerConfig config = new ConfigLoader().load(fixture.writeConfig(ConfigFixture.yaml(lifecycleSections())))
                .config();

        assertThat(config.listeners().acceptLimits()).isEqualTo(new AcceptLimits(300, 600, 5, 9, 700, 0));
        assertThat(config.tls().certificateExpiryWarning()).isEqualTo(Duration.ofDays(14));
        assertThat(config.tls().sessionTickets())
                .isEqualTo(new SessionTicketConfig(false, Duration.ofMinutes(30), Duration.ofHours(4)));
        assertThat(config.tls().ocspStapling())
                .isEqualTo(new OcspStaplingConfig(true, URI.create("http://127.0.0.1:8081/ocsp")));
        assertThat(config.revocation()).isEqualTo(new RevocationConfig(
                List.of(directory.resolve("pki/intermediate.crl").toAbsolutePath()), true, Duration.ofMinutes(10),
                true, URI.create("http://127.0.0.1:8080/"), Duration.ofMinutes(2), Duration.ofSeconds(2),
                RevocationFailurePolicy.FailOpen, Duration.ofSeconds(15)));
        assertThat(config.revocation().isEnabled()).isTrue();
        assertThat(config.admin().enabled()).isTrue();
        assertThat(config.admin().port()).isEqualTo(19443);
        assertThat(config.admin().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.admin().caCertificates()).containsExactly(ConfigFixture.ROOT.certificate());
        assertThat(config.admin().thumbprints()).containsExactly("CD".repeat(32));
    }

    @Test
    void defaultsWhenTheSectionsAreAbsent() throws ConfigException {
        BrokerConfig config = new ConfigLoader().load(fixture.writeConfig(ConfigFixture.yaml(
                ConfigFixture.validSections()))).config();

        assertThat(config.listeners().acceptLimits()).isEqualTo(AcceptLimits.DEFAULTS);
        assertThat(config.tls().sessionTickets()).isEqualTo(SessionTicketConfig.DEFAULTS);
        assertThat(config.tls().ocspStapling()).isEqualTo(OcspStaplingConfig.DISABLED);
        assertThat(config.tls().certificateExpiryWarning()).isEqualTo(TlsConfig.DEFAULT_EXPIRY_WARNING);
        assertThat(config.revocation()).isEqualTo(RevocationConfig.DISABLED);
        assertThat(config.revocation().isEnabled()).isFalse();
        assertThat(config.admin()).isEqualTo(AdminConfig.DISABLED);
    }

    @Test
    void writesTheSectionsBackToAnEqualConfiguration() throws ConfigException {
        BrokerConfig original = new ConfigLoader().load(fixture.writeConfig(ConfigFixture.yaml(lifecycleSections())))
                .config();

        String written = ConfigWriter.toYaml(original, directory);
        BrokerConfig reloaded = new ConfigLoader().parse(written, directory, directory.resolve("written.yaml"))
                .config();

        assertThat(reloaded).isEqualTo(original);
        assertThat(written).contains("- pki/intermediate.crl").contains("- admin/admin-ca.pem");
    }

    static Stream<Arguments> invalidSections() {
        return Stream.of(
                Arguments.of("missing CRL file", "revocation", "revocation: { crlFiles: [pki/none.crl] }\n",
                        "revocation.crlFiles[0]", "does not exist", "create it"),
                Arguments.of("CRL file holding a certificate", "revocation",
                        "revocation: { crlFiles: [pki/intermediate.pem] }\n", "revocation.crlFiles[0]",
                        "", "certificate revocation list"),
                Arguments.of("unknown failure policy", "revocation", "revocation: { whenUnavailable: Open }\n",
                        "revocation.whenUnavailable", "not one of the allowed values", "FailClosed, FailOpen"),
                Arguments.of("OCSP responder not http", "revocation",
                        "revocation: { ocsp: { enabled: true, responderUrl: 'ldap://x/' } }\n",
                        "revocation.ocsp.responderUrl", "not an http(s) URL", "responder's URL"),
                Arguments.of("zero accept rate", "listeners",
                        "listeners: { acceptLimits: { perSourcePerSecond: 0 } }\n",
                        "listeners.acceptLimits.perSourcePerSecond", "out of range", "from 1"),
                Arguments.of("negative per-source handshake cap", "listeners",
                        "listeners: { acceptLimits: { maximumHandshakesInProgressPerSource: -1 } }\n",
                        "listeners.acceptLimits.maximumHandshakesInProgressPerSource", "out of range", "from 0"),
                Arguments.of("admin enabled without trust", "admin", "admin: { enabled: true }\n",
                        "admin", "trusts no admin certificate", "admin.caCertificates"),
                Arguments.of("admin CA that is not a CA", "admin",
                        "admin: { enabled: true, caCertificates: [pki/client.pem] }\n",
                        "admin.caCertificates[0]", "not a CA", "admin.thumbprints"),
                Arguments.of("admin thumbprint malformed", "admin",
                        "admin: { enabled: true, thumbprints: ['AB:CD'] }\n",
                        "admin.thumbprints[0]", "not a SHA-256 thumbprint", "64 hex digits"),
                Arguments.of("admin on an MQTT port", "admin",
                        "admin: { enabled: true, port: 18883, thumbprints: [%s] }\n".formatted("ab".repeat(32)),
                        "admin.port", "same port as an MQTT listener", "its own port"),
                Arguments.of("ticket rotation too short", "tls", ConfigFixture.validSections().get("tls")
                                + "  sessionTickets: { keyRotationInterval: 1s }\n",
                        "tls.sessionTickets.keyRotationInterval", "out of range", "from 1m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSections")
    void reportsKeyProblemAndFix(String description, String section, String replacement, String key, String problem,
                                 String fix) {
        Map<String, String> sections = ConfigFixture.validSections();
        sections.put(section, replacement);
        Path file = fixture.writeConfig(ConfigFixture.yaml(sections));

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(file));

        assertThat(error).as("expected a ConfigException").isNotNull();
        assertThat(error.problems()).as(error.getMessage()).anySatisfy(found -> {
            assertThat(found.key()).isEqualTo(key);
            assertThat(found.problem()).contains(problem);
            assertThat(found.fix()).contains(fix);
        });
    }
}
