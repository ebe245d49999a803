package io.portcullis.auth;

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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryCertificateVerifierTest {
    private static final Instant NOW = Instant.now();
    private static final Issued ROOT = TestCertificates.rootCa("Test Root");
    private static final Issued INTERMEDIATE = TestCertificates.intermediateCa("Test Intermediate", ROOT);
    private static final Issued OTHER_ROOT = TestCertificates.rootCa("Other Root");
    private static final Issued LEAF = TestCertificates.certificate("CN=device-1").issuer(INTERMEDIATE).build();
    private static final Issued LEAF_OF_ROOT = TestCertificates.certificate("CN=device-2").issuer(ROOT).build();
    private static final Issued SELF_SIGNED = TestCertificates.certificate("CN=self-1").build();

    private final RegistryCertificateVerifier verifier =
            new RegistryCertificateVerifier(new CertificateTrust(), Clock.fixed(NOW, ZoneOffset.UTC));

    static Stream<Arguments> acceptedChains() {
        return Stream.of(
                Arguments.of("root anchor, leaf and intermediate sent", List.of(ROOT),
                        List.of(LEAF, INTERMEDIATE)),
                Arguments.of("root anchor, whole chain sent", List.of(ROOT), List.of(LEAF, INTERMEDIATE, ROOT)),
                Arguments.of("root anchor, leaf issued by the root", List.of(ROOT), List.of(LEAF_OF_ROOT)),
                Arguments.of("root anchor, chain sent out of order", List.of(ROOT), List.of(LEAF, ROOT, INTERMEDIATE)),
                Arguments.of("intermediate anchor, leaf only", List.of(INTERMEDIATE), List.of(LEAF)),
                Arguments.of("intermediate anchor, intermediate sent", List.of(INTERMEDIATE),
                        List.of(LEAF, INTERMEDIATE)),
                Arguments.of("intermediate anchor, root sent beyond it", List.of(INTERMEDIATE),
                        List.of(LEAF, INTERMEDIATE, ROOT)),
                Arguments.of("one of several anchors", List.of(OTHER_ROOT, ROOT), List.of(LEAF, INTERMEDIATE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedChains")
    void acceptsChainToRegisteredCa(String description, List<Issued> cas, List<Issued> chain) {
        assertThatCode(() -> verifier.verify(certificates(chain), registry(cas, List.of()))).doesNotThrowAnyException();
    }

    static Stream<Arguments> refusedChains() {
        return Stream.of(
                Arguments.of("unknown root sent with the chain", List.of(OTHER_ROOT),
                        List.of(LEAF, INTERMEDIATE, ROOT),
                        "no certificate in the chain was issued by a registered CA"),
                Arguments.of("unknown CA", List.of(OTHER_ROOT), List.of(LEAF, INTERMEDIATE),
                        "the client sent its chain up to 'CN=Test Intermediate,O=Portcullis Test' and no certificate"
                                + " of its issuer 'CN=Test Root,O=Portcullis Test'"),
                Arguments.of("no CA registered", List.of(), List.of(LEAF, INTERMEDIATE),
                        "or register 'CN=Test Root,O=Portcullis Test' under caCertificates"),
                Arguments.of("root anchor but intermediate missing", List.of(ROOT), List.of(LEAF),
                        "the client sent only its leaf and no certificate of its issuer 'CN=Test Intermediate,"
                                + "O=Portcullis Test', which is not a registered CA certificate. Fix: configure the"
                                + " client to send its chain (leaf then intermediates, e.g. mosquitto --cert with"
                                + " the full chain file), or register 'CN=Test Intermediate,O=Portcullis Test'"
                                + " under caCertificates"),
                Arguments.of("self-signed certificate without thumbprint", List.of(ROOT), List.of(SELF_SIGNED),
                        "for a ThumbprintMatch client"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedChains")
    void refusesChainWithoutRegisteredCa(String description, List<Issued> cas, List<Issued> chain, String message) {
        assertThatThrownBy(() -> verifier.verify(certificates(chain), registry(cas, List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(CertificateFields.thumbprint(chain.get(0).certificate()));
    }

    @Test
    void refusesLeafSignedByAnImpostorWithTheCaSubject() {
        Issued impostor = TestCertificates.certificate("CN=Test Intermediate,O=Portcullis Test").ca().build();
        Issued forged = TestCertificates.certificate("CN=device-1").issuer(impostor).build();

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(forged)), registry(List.of(INTERMEDIATE),
                List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("reaches registered CA certificate 'ca-0' but does not validate");
    }

    @Test
    void refusesACertificateOfARegisteredCaThatIsNotForTlsClients() {
        Issued server = TestCertificates.certificate("CN=localhost").issuer(ROOT)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
        Issued device = TestCertificates.certificate("CN=device-1").issuer(ROOT).build();

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(server)), registry(List.of(ROOT), List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("is not for TLS clients: its extended key usage [1.3.6.1.5.5.7.3.1] lacks"
                        + " clientAuth; " + CertificateFields.CLIENT_USAGE_FIX);
        assertThatCode(() -> verifier.verify(certificates(List.of(device)), registry(List.of(ROOT), List.of())))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesExpiredLeafNamingTheDate() {
        Instant notAfter = NOW.minus(Duration.ofDays(1));
        Issued expired = TestCertificates.certificate("CN=old").issuer(ROOT)
                .validity(NOW.minus(Duration.ofDays(30)), notAfter).build();

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(expired)), registry(List.of(ROOT), List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("expired on " + expired.certificate().getNotAfter().toInstant())
                .hasMessageContaining("issue the client a current certificate");
    }

    @Test
    void refusesLeafNotYetValidNamingTheDate() {
        Issued future = TestCertificates.certificate("CN=future").issuer(ROOT)
                .validity(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30))).build();

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(future)), registry(List.of(ROOT), List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("is not valid before " + future.certificate().getNotBefore().toInstant());
    }

    @Test
    void refusesChainWithExpiredIntermediate() {
        Issued oldIntermediate = TestCertificates.certificate("CN=Old Intermediate").ca().issuer(ROOT)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))).build();
        Issued leaf = TestCertificates.certificate("CN=device-3").issuer(oldIntermediate).build();

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(leaf, oldIntermediate)),
                registry(List.of(ROOT), List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("'CN=Old Intermediate' in the client chain expired on");
    }

    @Test
    void checksDatesAtTheClockTimeEvenForACachedChain() {
        CertificateTrust trust = new CertificateTrust();
        Registry registry = registry(List.of(ROOT), List.of());
        List<X509Certificate> chain = certificates(List.of(LEAF, INTERMEDIATE));
        Instant later = LEAF.certificate().getNotAfter().toInstant().plusSeconds(1);

        assertThatCode(() -> new RegistryCertificateVerifier(trust, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(chain, registry)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new RegistryCertificateVerifier(trust, Clock.fixed(later, ZoneOffset.UTC))
                .verify(chain, registry)).hasMessageContaining("expired on");
    }

    @Test
    void followsTheRegistrySnapshotItIsGiven() {
        List<X509Certificate> chain = certificates(List.of(LEAF, INTERMEDIATE));

        assertThatCode(() -> verifier.verify(chain, registry(List.of(ROOT), List.of()))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(chain, registry(List.of(OTHER_ROOT), List.of())))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void reusesTheMaterialPreparedForASnapshot() {
        CertificateTrust trust = new CertificateTrust();
        Registry registry = registry(List.of(ROOT), List.of());

        trust.prepare(registry);

        assertThat(trust.forRegistry(registry)).isSameAs(trust.forRegistry(registry));
        assertThat(trust.forRegistry(registry).registry()).isSameAs(registry);
    }

    @Test
    void acceptsSelfSignedCertificateWithRegisteredThumbprint() {
        Client client = thumbprintClient("self-1", ClientState.Enabled, CertificateFields.thumbprint(
                SELF_SIGNED.certificate()));

        assertThatCode(() -> verifier.verify(certificates(List.of(SELF_SIGNED)), registry(List.of(), List.of(client))))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsThumbprintRegisteredInLowerCase() {
        Client client = thumbprintClient("self-1", ClientState.Enabled,
                CertificateFields.thumbprint(SELF_SIGNED.certificate()).toLowerCase());

        assertThatCode(() -> verifier.verify(certificates(List.of(SELF_SIGNED)), registry(List.of(), List.of(client))))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesThumbprintOfOnlyADisabledClient() {
        Client client = thumbprintClient("self-1", ClientState.Disabled, CertificateFields.thumbprint(
                SELF_SIGNED.certificate()));

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(SELF_SIGNED)),
                registry(List.of(), List.of(client))))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void refusesUnknownThumbprint() {
        Client client = thumbprintClient("self-1", ClientState.Enabled, "AB".repeat(32));

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(SELF_SIGNED)),
                registry(List.of(), List.of(client))))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(CertificateFields.thumbprint(SELF_SIGNED.certificate()))
                .hasMessageContaining("ThumbprintMatch");
    }

    @Test
    void refusesEmptyChain() {
        assertThatThrownBy(() -> verifier.verify(List.of(), registry(List.of(ROOT), List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("sent no certificate");
    }

    static Stream<Arguments> adminChains() {
        Issued adminIntermediate = TestCertificates.intermediateCa("Admin Intermediate", ROOT);
        Issued admin = TestCertificates.certificate("CN=admin-1").issuer(adminIntermediate).build();
        return Stream.of(
                Arguments.of("leaf issued by the admin CA, which is also registered", List.of(ROOT), List.of(ROOT),
                        List.of(LEAF_OF_ROOT)),
                Arguments.of("admin CA is the registered intermediate", List.of(INTERMEDIATE), List.of(INTERMEDIATE),
                        List.of(LEAF)),
                Arguments.of("admin intermediate on the path to a registered root", List.of(ROOT),
                        List.of(adminIntermediate), List.of(admin, adminIntermediate)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adminChains")
    void refusesAdminCertificates(String description, List<Issued> cas, List<Issued> adminCas, List<Issued> chain) {
        verifier.updateAdminTrust(certificates(adminCas), List.of());

        assertThatThrownBy(() -> verifier.verify(certificates(chain), registry(cas, List.of())))
                .isInstanceOf(CertificateException.class)
                .hasMessageEndingWith(": " + TrustSeparation.ADMIN_CERTIFICATE);
    }

    @Test
    void refusesAnAdminThumbprintEvenWhenAClientAllowsIt() {
        String thumbprint = CertificateFields.thumbprint(SELF_SIGNED.certificate());
        verifier.updateAdminTrust(List.of(), List.of(thumbprint));
        Client client = thumbprintClient("laptop", ClientState.Enabled, thumbprint);

        assertThatThrownBy(() -> verifier.verify(certificates(List.of(SELF_SIGNED)),
                registry(List.of(), List.of(client))))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("an admin certificate");
    }

    @Test
    void acceptsADeviceBelowAnIntermediateWhoseRootIsTheAdminCa() {
        verifier.updateAdminTrust(List.of(ROOT.certificate()), List.of());

        assertThatCode(() -> verifier.verify(certificates(List.of(LEAF, INTERMEDIATE)),
                registry(List.of(INTERMEDIATE), List.of()))).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(certificates(List.of(LEAF, INTERMEDIATE, ROOT)),
                registry(List.of(INTERMEDIATE), List.of()))).doesNotThrowAnyException();
    }

    static Client thumbprintClient(String name, ClientState state, String... thumbprints) {
        return new Client(name, name, ValidationScheme.ThumbprintMatch, List.of(thumbprints), state, Map.of(), "");
    }

    static Registry registry(List<Issued> cas, List<Client> clients) {
        List<CaCertificate> registered = new java.util.ArrayList<>();
        for (int i = 0; i < cas.size(); i++) {
            registered.add(new CaCertificate("ca-" + i, "", cas.get(i).certificate()));
        }
        return new Registry(NamespaceSettings.DEFAULTS, registered, clients, List.of(), List.of(), List.of());
    }

    static List<X509Certificate> certificates(List<Issued> chain) {
        return chain.stream().map(Issued::certificate).toList();
    }
}
