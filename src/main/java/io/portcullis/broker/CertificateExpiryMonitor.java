package io.portcullis.broker;

import io.portcullis.auth.CertificateFields;
import io.portcullis.registry.CaCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.security.auth.x500.X500Principal;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Warns about certificates close to their end: every server certificate of both chains (leaf and the
 * intermediates served with it) and every registered CA certificate that expires within
 * {@code tls.certificateExpiryWarning}, or has already expired, gives one WARN naming it, the file or
 * registry entry, and the days left, at most once a day for the same certificate and sentence, so the
 * checks at start and after each reload do not repeat the daily warning. Every check updates the metrics:
 * how many certificates are in the warning window and the seconds until the earliest expiry of all watched
 * certificates. The broker checks at start, after each configuration reload and once a day.
 *
 * <p>Threads: {@link #check} runs on the caller's thread (start-up, the reload thread) or on this
 * monitor's daemon thread for the daily check; it is synchronized. The metrics are read from any thread.
 */
public final class CertificateExpiryMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateExpiryMonitor.class);
    static final Duration CHECK_INTERVAL = Duration.ofDays(1);
    /** Slack, so the daily check that runs a little early still warns again. */
    private static final Duration REPEAT_AFTER = CHECK_INTERVAL.minus(Duration.ofHours(1));

    /**
     * The result of the latest check.
     *
     * @param serverExpiringSoon         server certificates (both chains, leaves and intermediates) expiring
     *                                   within the warning window or already expired
     * @param caExpiringSoon             registered CA certificates expiring within the window or expired
     * @param secondsUntilEarliestExpiry seconds from the check to the earliest notAfter of all watched
     *                                   certificates; negative when one has expired; {@link Long#MAX_VALUE}
     *                                   when none is watched
     * @param checkedAt                  when the check ran
     */
    public record Status(int serverExpiringSoon, int caExpiringSoon, long secondsUntilEarliestExpiry,
                         Instant checkedAt) {
        /** Server and CA certificates in the warning window together. */
        public int expiringSoon() {
            return serverExpiringSoon + caExpiringSoon;
        }
    }

    /** What one check looks at. */
    record Inputs(Duration warning, ServerMaterial server, Collection<CaCertificate> caCertificates) {
    }

    private final Clock clock;
    private final Supplier<Inputs> inputs;
    private volatile Status status = new Status(0, 0, Long.MAX_VALUE, Instant.EPOCH);
    /** When each warning was last logged, by its text without the days left; guarded by this monitor. */
    private Map<String, Instant> lastWarned = new HashMap<>();
    private ScheduledExecutorService daily;

    CertificateExpiryMonitor(Clock clock, Supplier<Inputs> inputs) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
    }

    /** Checks now, then every day until {@link #close}. */
    synchronized void start() {
        check();
        if (daily == null) {
            daily = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "portcullis-certificate-expiry");
                thread.setDaemon(true);
                return thread;
            });
            long seconds = CHECK_INTERVAL.toSeconds();
            daily.scheduleAtFixedRate(this::checkQuietly, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.error("Certificate expiry check failed", e);
        }
    }

    /** Checks every watched certificate now, logs a WARN for each one close to expiry, and updates the metrics. */
    public synchronized Status check() {
        Inputs current = inputs.get();
        Instant now = clock.instant();
        Instant warnFrom = now.plus(current.warning());
        int serverExpiringSoon = 0;
        int caExpiringSoon = 0;
        long earliest = Long.MAX_VALUE;
        Map<String, Instant> warned = new HashMap<>();
        for (ServerChain chain : serverChains(current.server())) {
            for (X509Certificate certificate : chain.certificates()) {
                long secondsLeft = secondsLeft(certificate, now);
                earliest = Math.min(earliest, secondsLeft);
                if (!certificate.getNotAfter().toInstant().isAfter(warnFrom)) {
                    serverExpiringSoon++;
                    warn(secondsLeft < 0 ? "Server certificate has expired" : "Server certificate expires soon",
                            certificate, secondsLeft, "file=" + chain.file(), now, warned);
                }
            }
        }
        for (CaCertificate ca : current.caCertificates()) {
            long secondsLeft = secondsLeft(ca.certificate(), now);
            earliest = Math.min(earliest, secondsLeft);
            if (!ca.certificate().getNotAfter().toInstant().isAfter(warnFrom)) {
                caExpiringSoon++;
                warn(secondsLeft < 0 ? "CA certificate has expired" : "CA certificate expires soon",
                        ca.certificate(), secondsLeft, "caCertificate=" + ca.name(), now, warned);
            }
        }
        // Certificates no longer in the window (renewed, removed) are forgotten: if they come back, they warn.
        lastWarned = warned;
        status = new Status(serverExpiringSoon, caExpiringSoon, earliest, now);
        return status;
    }

    /** Logs the warning unless the same one was logged less than a day ago; records it in {@code warned}. */
    private void warn(String sentence, X509Certificate certificate, long secondsLeft, String where, Instant now,
                      Map<String, Instant> warned) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String serial = CertificateFields.serialHex(certificate);
        String key = sentence + " " + subject + " " + serial + " " + where;
        Instant last = lastWarned.get(key);
        if (last != null && Duration.between(last, now).compareTo(REPEAT_AFTER) < 0) {
            warned.put(key, last);
            return;
        }
        warned.put(key, now);
        LOG.warn("{}: subject=\"{}\" serial={} notAfter={} daysLeft={} {}", sentence, subject, serial,
                certificate.getNotAfter().toInstant(), Math.floorDiv(secondsLeft, 86_400L), where);
    }

    private static long secondsLeft(X509Certificate certificate, Instant now) {
        return Duration.between(now, certificate.getNotAfter().toInstant()).toSeconds();
    }

    private record ServerChain(Object file, List<X509Certificate> certificates) {
    }

    private static List<ServerChain> serverChains(ServerMaterial server) {
        return List.of(new ServerChain(server.ec().certificate(), server.credentials().ecChain()),
                new ServerChain(server.rsa().certificate(), server.credentials().rsaChain()));
    }

    /** The latest check's result. */
    public Status status() {
        return status;
    }

    /** Certificates in the warning window (or expired) at the latest check. */
    public int certificatesExpiringSoon() {
        return status.expiringSoon();
    }

    /** Server certificates in the warning window (or expired) at the latest check. */
    public int serverCertificatesExpiringSoon() {
        return status.serverExpiringSoon();
    }

    /** Registered CA certificates in the warning window (or expired) at the latest check. */
    public int caCertificatesExpiringSoon() {
        return status.caExpiringSoon();
    }

    /** Seconds to the earliest expiry of all watched certificates at the latest check. */
    public long secondsUntilEarliestExpiry() {
        return status.secondsUntilEarliestExpiry();
    }

    @Override
    public synchronized void close() {
        if (daily != null) {
            daily.shutdownNow();
            daily = null;
        }
    }
}
