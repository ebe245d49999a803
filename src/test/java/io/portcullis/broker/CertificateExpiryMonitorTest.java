package io.portcullis.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.auth.CertificateFields;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import io.portcullis.registry.CaCertificate;
import io.portcullis.testsupport.MutableClock;
import io.portcullis.transport.ServerCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which certificates the expiry monitor warns about and what it counts: the server leaves (EC and RSA,
 * with the intermediate served beside them) and the registered CA certificates, against a fixed clock.
 */
class CertificateExpiryMonitorTest {
    /** Whole seconds, as in certificates, so the days left come out exact. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration WARNING = Duration.ofDays(30);
    private static IssuedCertificate root;
    private static IssuedCertificate intermediate;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger monitorLog = (Logger) LoggerFactory.getLogger(CertificateExpiryMonitor.class);

    @BeforeAll
    static void issueCas() {
        root = CertificateIssuer.rootCa("Expiry Test Root");
        intermediate = CertificateIssuer.intermediateCa(root, "Expiry Test Intermediate");
    }

    @BeforeEach
    void captureLog() {
        log.start();
        monitorLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        monitorLog.detachAppender(log);
    }

    /** A validity window that ends {@code days} days from {@link #NOW} (negative: ended that long ago). */
    private static Validity endingIn(long days) {
        Instant notAfter = NOW.plus(Duration.ofDays(days));
        return Validity.between(notAfter.minus(Duration.ofDays(400)), notAfter);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            # case, ecDays, rsaDays, caDays, soon, earliest, warning, where
            all far from expiry, 365, 200, 3000, 0, 200, '', ''
            EC leaf inside window, 10, 200, 3000, 1, 10, Server certificate expires soon, file=ec.crt
            RSA leaf on its last day, 365, 1, 3000, 1, 1, Server certificate expires soon, file=rsa.crt
            server leaf expired, -2, 200, 3000, 1, -2, Server certificate has expired, file=ec.crt
            CA inside the window, 365, 200, 29, 1, 29, CA certificate expires soon, caCertificate=fleet-ca
            CA at the window edge, 365, 200, 30, 1, 30, CA certificate expires soon, caCertificate=fleet-ca
            CA one day outside, 365, 200, 31, 0, 31, '', ''
            CA expired, 365, 200, -1, 1, -1, CA certificate has expired, caCertificate=fleet-ca
            """)
    void warnsAboutCertificatesInTheWindowAndCountsThem(String name, long ecDays, long rsaDays, long caDays,
                                                        int expiringSoon, long earliestDays, String warning,
                                                        String where) {
        IssuedCertificate ec = CertificateIssuer.server(intermediate, "localhost", KeyAlgorithm.EcP384,
                SubjectAltNames.LOCALHOST, endingIn(ecDays));
        IssuedCertificate rsa = CertificateIssuer.server(intermediate, "localhost", KeyAlgorithm.Rsa2048,
                SubjectAltNames.LOCALHOST, endingIn(rsaDays));
        IssuedCertificate ca = CertificateIssuer.rootCa("Registered CA", KeyAlgorithm.EcP256, endingIn(caDays));
        ServerMaterial server = new ServerMaterial(
                new ServerCertificateConfig(Path.of("ec.crt"), Path.of("ec.key"), ServerKeyType.EC_P384),
                new ServerCertificateConfig(Path.of("rsa.crt"), Path.of("rsa.key"), ServerKeyType.RSA),
                new ServerCredentials(ec.privateKey(), ec.chain(), rsa.privateKey(), rsa.chain()), "digest");
        CertificateExpiryMonitor monitor = new CertificateExpiryMonitor(Clock.fixed(NOW, ZoneOffset.UTC),
                () -> new CertificateExpiryMonitor.Inputs(WARNING, server,
                        List.of(new CaCertificate("fleet-ca", "", ca.certificate()))));

        CertificateExpiryMonitor.Status status = monitor.check();

        assertThat(status.expiringSoon()).isEqualTo(expiringSoon);
        assertThat(status.secondsUntilEarliestExpiry()).isEqualTo(Duration.ofDays(earliestDays).toSeconds());
        assertThat(status.checkedAt()).isEqualTo(NOW);
        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        if (warning.isEmpty()) {
            assertThat(warnings).isEmpty();
        } else {
            // The certificate that warns is always the one expiring first.
            assertThat(warnings).singleElement().satisfies(line -> assertThat(line)
                    .startsWith(warning + ": subject=\"").contains(" serial=").contains(" notAfter=")
                    .endsWith(" daysLeft=" + earliestDays + " " + where));
        }
    }

    @Test
    void warnsOncePerCertificateADayWhileEveryCheckUpdatesTheMetrics() {
        IssuedCertificate ec = CertificateIssuer.server(intermediate, "localhost", KeyAlgorithm.EcP384,
                SubjectAltNames.LOCALHOST, endingIn(10));
        IssuedCertificate rsa = CertificateIssuer.server(intermediate, "localhost", KeyAlgorithm.Rsa2048,
                SubjectAltNames.LOCALHOST, endingIn(200));
        ServerMaterial server = new ServerMaterial(
                new ServerCertificateConfig(Path.of("ec.crt"), Path.of("ec.key"), ServerKeyType.EC_P384),
                new ServerCertificateConfig(Path.of("rsa.crt"), Path.of("rsa.key"), ServerKeyType.RSA),
                new ServerCredentials(ec.privateKey(), ec.chain(), rsa.privateKey(), rsa.chain()), "digest");
        MutableClock clock = new MutableClock(NOW);
        CertificateExpiryMonitor monitor = new CertificateExpiryMonitor(clock,
                () -> new CertificateExpiryMonitor.Inputs(WARNING, server, List.of()));

        // Start, then the reloader's check 50 ms later: one line.
        monitor.check();
        clock.set(NOW.plusMillis(50));
        CertificateExpiryMonitor.Status again = monitor.check();
        assertThat(warnings()).hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("serial=" + CertificateFields.serialHex(ec.certificate())));
        assertThat(again.serverExpiringSoon()).isEqualTo(1);
        assertThat(again.checkedAt()).isEqualTo(NOW.plusMillis(50));

        // The daily check warns again, with one day less.
        clock.set(NOW.plus(CertificateExpiryMonitor.CHECK_INTERVAL));
        CertificateExpiryMonitor.Status daily = monitor.check();
        assertThat(warnings()).hasSize(2).last().satisfies(line -> assertThat(line).contains("daysLeft=9 "));
        assertThat(daily.secondsUntilEarliestExpiry()).isEqualTo(Duration.ofDays(9).toSeconds());
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
