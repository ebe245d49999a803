package io.portcullis.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portcullis.auth.revocation.RevocationMetrics;
import io.portcullis.broker.CertificateExpiryMonitor;
import io.portcullis.protocol.BrokerContext;
import io.portcullis.protocol.ProtocolMetrics;
import io.portcullis.session.SessionMetrics;
import io.portcullis.session.SessionMetrics.DropReason;
import io.portcullis.transport.AcceptLimiter;
import io.portcullis.transport.TlsContextHolder;

import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The broker's metrics in Micrometer, for the admin API's {@code /metrics} (Prometheus text format). Every meter
 * reads a counter or a size the broker already keeps (lock-free adders, atomics, concurrent map sizes), and only
 * when scraped: nothing here adds work or locking to the connection or publish paths. Names start with
 * {@code portcullis_}; docs/admin-api.md "Metrics" lists them.
 *
 * <p>One registry per broker (not Micrometer's global one), so two brokers in one JVM, as in tests, do not mix
 * their numbers. Thread-safe: scrapes may come from any thread, at the same time.
 */
public final class BrokerMetrics {
    /** The content type of {@link #scrape()}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * What the meters read. The meters hold these weakly (Micrometer's rule for function meters), so this
     * object keeps them reachable for as long as the metrics are served.
     */
    public record Sources(BrokerContext context, RevocationMetrics revocation, AcceptLimiter acceptLimiter,
                          TlsContextHolder tls, CertificateExpiryMonitor expiry) {
        public Sources {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(revocation, "revocation");
            Objects.requireNonNull(acceptLimiter, "acceptLimiter");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(expiry, "expiry");
        }
    }

    /** Held only to keep the sources reachable; see {@link Sources}. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private final Sources sources;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public BrokerMetrics(Sources sources) {
        this.sources = Objects.requireNonNull(sources, "sources");
        bindSessions(sources.context());
        bindMqtt(sources.context().protocolMetrics());
        bindDelivery(sources.context().sessionMetrics());
        bindRevocation(sources.revocation());
        bindAcceptLimiter(sources.acceptLimiter());
        bindTls(sources.tls());
        bindExpiry(sources.expiry());
    }

    /** Every meter now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** The Micrometer registry, for tests and for binding further meters. */
    public MeterRegistry registry() {
        return registry;
    }

    private void bindSessions(BrokerContext context) {
        gauge("portcullis.sessions.connected", "Clients connected (CONNECT accepted, connection open)",
                context, BrokerContext::connectionCount);
        gauge("portcullis.sessions", "Sessions the broker holds, connected or offline",
                context, c -> c.sessions().size());
        gauge("portcullis.retained.messages", "Topics holding a retained message",
                context, c -> c.retained().size());
    }

    private void bindMqtt(ProtocolMetrics mqtt) {
        FunctionCounter.builder("portcullis.mqtt.connections", mqtt, ProtocolMetrics::connectionsAccepted)
                .description("CONNECT packets answered, by result").tag("result", "accepted").register(registry);
        FunctionCounter.builder("portcullis.mqtt.connections", mqtt, ProtocolMetrics::connectionsRefused)
                .description("CONNECT packets answered, by result").tag("result", "refused").register(registry);
        counter("portcullis.mqtt.publishes.received", "PUBLISH packets received from clients",
                mqtt, ProtocolMetrics::publishesReceived);
        counter("portcullis.mqtt.publishes.denied", "PUBLISH packets refused by authorization",
                mqtt, ProtocolMetrics::publishesDenied);
        counter("portcullis.mqtt.subscriptions.denied", "Subscriptions refused by authorization",
                mqtt, ProtocolMetrics::subscriptionsDenied);
        counter("portcullis.mqtt.protocol.errors", "Connections closed for a malformed packet or a protocol error",
                mqtt, ProtocolMetrics::protocolErrors);
    }

    private void bindDelivery(SessionMetrics delivery) {
        counter("portcullis.messages.sent", "Messages sent to subscribers", delivery, SessionMetrics::messagesSent);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("portcullis.messages.dropped", delivery, d -> d.messagesDropped(reason))
                    .description("Messages a session did not send, by reason")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        counter("portcullis.publisher.pauses", "Times a publisher was paused for a slow subscriber",
                delivery, SessionMetrics::publisherPauses);
        counter("portcullis.sessions.expired", "Sessions ended by their Session Expiry Interval",
                delivery, SessionMetrics::sessionsExpired);
    }

    private void bindRevocation(RevocationMetrics revocation) {
        String checks = "portcullis.revocation.checks";
        String description = "Client certificate revocation checks, by result; unavailable_* are checks without a"
                + " current CRL or OCSP answer, refused under FailClosed and allowed under FailOpen";
        revocationCounter(checks, description, "good", revocation, s -> s.good());
        revocationCounter(checks, description, "revoked", revocation, s -> s.revoked());
        revocationCounter(checks, description, "unavailable_refused", revocation, s -> s.unavailableRefused());
        revocationCounter(checks, description, "unavailable_allowed", revocation, s -> s.unavailableAllowed());
        counter("portcullis.revocation.handshakes.refused",
                "TLS handshakes refused because the certificate was already known to be revoked",
                revocation, r -> r.snapshot().handshakesRefused());
        counter("portcullis.revocation.fetch.failures", "CRL or OCSP fetches that failed",
                revocation, r -> r.snapshot().fetchFailures());
    }

    private void revocationCounter(String name, String description, String result, RevocationMetrics revocation,
                                   ToDoubleFunction<RevocationMetrics.Snapshot> field) {
        FunctionCounter.builder(name, revocation, r -> field.applyAsDouble(r.snapshot()))
                .description(description).tag("result", result).register(registry);
    }

    private void bindAcceptLimiter(AcceptLimiter limiter) {
        counter("portcullis.accept.accepted", "TCP connections the accept limits let through",
                limiter, AcceptLimiter::accepted);
        String refused = "TCP connections closed before TLS by an accept limit, by the limit's setting";
        limitCounter(refused, AcceptLimiter.Limit.GLOBAL_RATE, limiter, AcceptLimiter::refusedGlobalRate);
        limitCounter(refused, AcceptLimiter.Limit.SOURCE_RATE, limiter, AcceptLimiter::refusedSourceRate);
        limitCounter(refused, AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS, limiter,
                AcceptLimiter::refusedHandshakesInProgress);
        limitCounter(refused, AcceptLimiter.Limit.HANDSHAKES_IN_PROGRESS_PER_SOURCE, limiter,
                AcceptLimiter::refusedHandshakesInProgressPerSource);
        gauge("portcullis.accept.handshakes.in.progress", "Connections accepted and not yet ready for MQTT",
                limiter, AcceptLimiter::handshakesInProgress);
    }

    private void limitCounter(String description, AcceptLimiter.Limit limit, AcceptLimiter limiter,
                              ToDoubleFunction<AcceptLimiter> count) {
        FunctionCounter.builder("portcullis.accept.refused", limiter, count)
                .description(description).tag("limit", limit.settingName()).register(registry);
    }

    private void bindTls(TlsContextHolder tls) {
        String description = "TLS handshakes completed on the MQTT listeners: full, or resumed (TLS 1.3 ticket;"
                + " TLS 1.2 ticket or session id)";
        FunctionCounter.builder("portcullis.tls.handshakes", tls, TlsContextHolder::fullHandshakes)
                .description(description).tag("kind", "full").register(registry);
        FunctionCounter.builder("portcullis.tls.handshakes", tls, TlsContextHolder::resumedHandshakes)
                .description(description).tag("kind", "resumed").register(registry);
    }

    private void bindExpiry(CertificateExpiryMonitor expiry) {
        String description = "Certificates expiring within tls.certificateExpiryWarning or already expired, at the"
                + " latest check, by kind";
        Gauge.builder("portcullis.certificates.expiring", expiry,
                        CertificateExpiryMonitor::serverCertificatesExpiringSoon)
                .description(description).tag("kind", "server").register(registry);
        Gauge.builder("portcullis.certificates.expiring", expiry,
                        CertificateExpiryMonitor::caCertificatesExpiringSoon)
                .description(description).tag("kind", "ca").register(registry);
        Gauge.builder("portcullis.certificates.earliest.expiry", expiry, BrokerMetrics::secondsUntilEarliestExpiry)
                .description("Seconds from the latest check to the earliest expiry of the server and CA"
                        + " certificates; negative once one has expired")
                .baseUnit("seconds").register(registry);
    }

    /** No watched certificate is reported as no value rather than as a huge number. */
    private static double secondsUntilEarliestExpiry(CertificateExpiryMonitor expiry) {
        long seconds = expiry.secondsUntilEarliestExpiry();
        return seconds == Long.MAX_VALUE ? Double.NaN : seconds;
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }
}
