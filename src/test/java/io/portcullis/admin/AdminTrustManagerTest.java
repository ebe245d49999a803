package io.portcullis.admin;

import io.portcullis.config.AdminConfig;
import io.portcullis.pki.Thumbprints;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Registry;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.TestCertificates;
import io.portcullis.testsupport.TestCertificates.Issued;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which client certificate chains open the admin API: admin CAs and admin thumbprints only. */
class AdminTrustManagerTest {
    private static final Issued ADMIN_CA = TestCertificates.rootCa("Admin CA");
    private static final Issued ADMIN_INTERMEDIATE = TestCertificates.intermediateCa("Admin Intermediate", ADMIN_CA);
    private static final Issued DEVICE_CA = TestCertificates.rootCa("Device CA");
    private static final Issued ADMIN = TestCertificates.certificate("CN=admin,O=Ops").issuer(ADMIN_CA).build();
    private static final Issued ADMIN_BELOW_INTERMEDIATE = TestCertificates.certificate("CN=admin-2,O=Ops")
            .issuer(ADMIN_INTERMEDIATE).build();
    private static final Issued DEVICE = TestCertificates.certificate("CN=pump-7").issuer(DEVICE_CA).build();
    private static final Issued SELF_SIGNED = TestCertificates.certificate("CN=laptop").build();
    private static final Issued EXPIRED_ADMIN = TestCertificates.certificate("CN=old-admin").issuer(ADMIN_CA)
            .validity(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1))).build();
    private static final Issued EXPIRED_SELF_SIGNED = TestCertificates.certificate("CN=old-laptop")
            .validity(Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(1))).build();
    /** Signed with the admin CA's subject but another key: a forgery of an admin certificate. */
    private static final Issued FORGED = TestCertificates.certificate("CN=admin,O=Ops")
            .issuer(new Issued(ADMIN_CA.certificate(), DEVICE_CA.keyPair())).build();

    private static AdminConfig trusting(List<Issued> cas, List<Issued> thumbprinted) {
        return new AdminConfig(true, "127.0.0.1", 0, List.of(),
                cas.stream().map(Issued::certificate).toList(),
                thumbprinted.stream().map(issued -> Thumbprints.thumbprint(issued.certificate())).toList());
    }

    private static X509Certificate[] chain(Issued... certificates) {
        return Stream.of(certificates).map(Issued::certificate).toArray(X509Certificate[]::new);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("leaf of the admin CA", trusting(List.of(ADMIN_CA), List.of()), chain(ADMIN)),
                Arguments.of("leaf that also sends the admin CA", trusting(List.of(ADMIN_CA), List.of()),
                        chain(ADMIN, ADMIN_CA)),
                Arguments.of("leaf below an admin intermediate", trusting(List.of(ADMIN_CA), List.of()),
                        chain(ADMIN_BELOW_INTERMEDIATE, ADMIN_INTERMEDIATE)),
                Arguments.of("self-signed admin thumbprint", trusting(List.of(), List.of(SELF_SIGNED)),
                        chain(SELF_SIGNED)),
                Arguments.of("device CA leaf admitted by its own thumbprint", trusting(List.of(), List.of(DEVICE)),
                        chain(DEVICE, DEVICE_CA)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsAdminCertificates(String description, AdminConfig config, X509Certificate[] chain) {
        AdminTrustManager trust = new AdminTrustManager(config, () -> Registry.EMPTY, Clock.systemUTC());

        assertThatCode(() -> trust.checkClientTrusted(chain, "UNKNOWN")).doesNotThrowAnyException();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("device certificate", trusting(List.of(ADMIN_CA), List.of(SELF_SIGNED)),
                        chain(DEVICE, DEVICE_CA)),
                Arguments.of("unknown self-signed certificate", trusting(List.of(ADMIN_CA), List.of()),
                        chain(SELF_SIGNED)),
                Arguments.of("no admin CA and no matching thumbprint", trusting(List.of(), List.of(SELF_SIGNED)),
                        chain(ADMIN)),
                Arguments.of("the admin CA certificate itself", trusting(List.of(ADMIN_CA), List.of()),
                        chain(ADMIN_CA)),
                Arguments.of("below an intermediate it does not send", trusting(List.of(ADMIN_CA), List.of()),
                        chain(ADMIN_BELOW_INTERMEDIATE)),
                Arguments.of("expired admin leaf", trusting(List.of(ADMIN_CA), List.of()), chain(EXPIRED_ADMIN)),
                Arguments.of("expired thumbprinted certificate", trusting(List.of(), List.of(EXPIRED_SELF_SIGNED)),
                        chain(EXPIRED_SELF_SIGNED)),
                Arguments.of("forged admin issuer", trusting(List.of(ADMIN_CA), List.of()), chain(FORGED)),
                Arguments.of("empty chain", trusting(List.of(ADMIN_CA), List.of()), new X509Certificate[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesOtherCertificates(String description, AdminConfig config, X509Certificate[] chain) {
        AdminTrustManager trust = new AdminTrustManager(config, () -> Registry.EMPTY, Clock.systemUTC());

        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void updateReplacesTheTrustForLaterChecks() throws Exception {
        AdminTrustManager trust = new AdminTrustManager(trusting(List.of(ADMIN_CA), List.of()), () -> Registry.EMPTY,
                Clock.systemUTC());
        trust.checkClientTrusted(chain(ADMIN), "UNKNOWN");

        trust.update(trusting(List.of(), List.of(SELF_SIGNED)));

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(ADMIN), "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
        assertThatCode(() -> trust.checkClientTrusted(chain(SELF_SIGNED), "UNKNOWN")).doesNotThrowAnyException();
    }

    @Test
    void refusesAnAdminCaCertificateNotForTlsClients() {
        Issued server = TestCertificates.certificate("CN=admin-host").issuer(ADMIN_CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
        AdminTrustManager trust = new AdminTrustManager(trusting(List.of(ADMIN_CA), List.of()), () -> Registry.EMPTY,
                Clock.systemUTC());

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(server), "UNKNOWN"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("the certificate is not for TLS clients: its extended key usage [1.3.6.1.5.5.7.3.1] lacks"
                        + " clientAuth; issue the admin a certificate for TLS clients (portcullis pki client issue)");
    }

    @Test
    void neverTrustsServerCertificatesNorNamesIssuers() {
        AdminTrustManager trust = new AdminTrustManager(trusting(List.of(ADMIN_CA), List.of()), () -> Registry.EMPTY,
                Clock.systemUTC());

        assertThatThrownBy(() -> trust.checkServerTrusted(chain(ADMIN), "UNKNOWN"))
                .isInstanceOf(CertificateException.class);
        assertThat(trust.getAcceptedIssuers()).isEmpty();
    }

    /** The admin CA is the root above the intermediate registered for devices, the reviewer's configuration. */
    private static final Issued DEVICE_INTERMEDIATE = TestCertificates.intermediateCa("Device Intermediate", ADMIN_CA);
    private static final Issued PUMP = TestCertificates.certificate("CN=pump-9").issuer(DEVICE_INTERMEDIATE).build();
    private static final Issued THUMBPRINTED_DEVICE = TestCertificates.certificate("CN=valve-3").build();

    private static Registry devices() {
        Client valve = new Client("valve-3", "valve-3", ValidationScheme.ThumbprintMatch,
                List.of(Thumbprints.thumbprint(THUMBPRINTED_DEVICE.certificate())), ClientState.Enabled, Map.of(),
                "");
        return new Registry(NamespaceSettings.DEFAULTS,
                List.of(new CaCertificate("devices", "", DEVICE_INTERMEDIATE.certificate())), List.of(valve),
                List.of(), List.of(), List.of());
    }

    static Stream<Arguments> deviceChains() {
        return Stream.of(
                Arguments.of("device leaf and intermediate, admin CA above it",
                        trusting(List.of(ADMIN_CA), List.of()),
                        chain(PUMP, DEVICE_INTERMEDIATE), "its chain holds the device CA 'devices'"),
                Arguments.of("device leaf alone, admin CA is the device intermediate",
                        trusting(List.of(DEVICE_INTERMEDIATE), List.of()), chain(PUMP),
                        "its chain holds the device CA 'devices'"),
                Arguments.of("device thumbprint also listed as admin thumbprint",
                        trusting(List.of(), List.of(THUMBPRINTED_DEVICE)), chain(THUMBPRINTED_DEVICE),
                        "its thumbprint is registered for the client 'valve-3'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceChains")
    void refusesDeviceCertificatesWhateverTheAdminTrust(String description, AdminConfig config,
                                                        X509Certificate[] chain, String named) {
        AdminTrustManager trust = new AdminTrustManager(config, AdminTrustManagerTest::devices, Clock.systemUTC());

        assertThatThrownBy(() -> trust.checkClientTrusted(chain, "UNKNOWN"))
                .isInstanceOf(AdminTrustManager.Refusal.class)
                .hasMessageStartingWith("a device certificate: ")
                .hasMessageContaining(named)
                .hasMessageEndingWith("; the admin API needs a certificate from a separate admin CA");
    }

    /** The root is registered for devices and devices send leaf and intermediate, as in the dev layout. */
    private static final Issued DEVICE_ROOT = TestCertificates.rootCa("Device Root");
    private static final Issued DEVICE_ROOT_INTERMEDIATE = TestCertificates.intermediateCa("Device Root Intermediate",
            DEVICE_ROOT);
    private static final Issued SENSOR = TestCertificates.certificate("CN=sensor-4").issuer(DEVICE_ROOT_INTERMEDIATE)
            .build();

    private static Registry rootDevices() {
        return new Registry(NamespaceSettings.DEFAULTS,
                List.of(new CaCertificate("device-root", "", DEVICE_ROOT.certificate())), List.of(), List.of(),
                List.of(), List.of());
    }

    static Stream<Arguments> chainsReachingARegisteredRoot() {
        return Stream.of(
                Arguments.of("admin CA is the intermediate below the registered device root",
                        trusting(List.of(DEVICE_ROOT_INTERMEDIATE), List.of())),
                Arguments.of("a device's own thumbprint listed as admin thumbprint",
                        trusting(List.of(), List.of(SENSOR))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chainsReachingARegisteredRoot")
    void refusesADeviceChainThatReachesARegisteredRootItDoesNotSend(String description, AdminConfig config) {
        AdminTrustManager trust = new AdminTrustManager(config, AdminTrustManagerTest::rootDevices,
                Clock.systemUTC());

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(SENSOR, DEVICE_ROOT_INTERMEDIATE), "UNKNOWN"))
                .isInstanceOf(AdminTrustManager.Refusal.class)
                .hasMessageContaining("its chain holds the device CA 'device-root'");
    }

    @Test
    void admitsAnAdminLeafOfTheRootAboveTheDeviceIntermediate() {
        AdminTrustManager trust = new AdminTrustManager(trusting(List.of(ADMIN_CA), List.of()),
                AdminTrustManagerTest::devices, Clock.systemUTC());

        assertThatCode(() -> trust.checkClientTrusted(chain(ADMIN), "UNKNOWN")).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkClientTrusted(chain(ADMIN, ADMIN_CA), "UNKNOWN")).doesNotThrowAnyException();
    }
}
