package io.portcullis.broker;

import io.portcullis.config.AcceptLimits;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.SessionTicketConfig;
import io.portcullis.config.TlsConfig;
import io.portcullis.config.TlsEngine;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.transport.TlsContextFactory;
import io.portcullis.transport.TlsContextHolder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A load benchmark, run by hand and never asserted: the broker's CPU time per connection with a full TLS
 * 1.3 handshake against one resumed from a session ticket, on each TLS engine. One client thread connects
 * {@code handshakes} times in a row to a broker in the same JVM (TLS 1.3, client certificate, MQTT 5
 * CONNECT, CONNACK, DISCONNECT, close): for full handshakes each connection uses a new client
 * {@link SSLContext}, so there is no ticket to offer; for resumed ones all share one context, which offers
 * the ticket from the connection before. The broker's handshake counters confirm which kind each was.
 *
 * <p>Broker CPU is the CPU time of every JVM thread except the client's ({@link ThreadMXBean}, summed per
 * thread over the run): the event loops, the acceptor and whatever the broker starts. The process CPU time
 * minus the client thread's is printed beside it; it also holds the JIT and the garbage collector.
 * Connections per second are for one client in series, client work included, so they are a floor.
 *
 * <pre>
 * ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     -Dhandshakes=2000 io.portcullis.broker.TlsResumptionBenchmark
 * </pre>
 *
 * <p>Two runs on the development machine (2 cores shared with other builds, JDK 17, netty-tcnative 2.0.84,
 * {@code -Dhandshakes=2000 -DwarmUp=1000}), broker CPU per connection and connections per second:
 * <pre>
 * engine   kind     brokerCpuMs         connections/s
 * JDK      full     3.025 / 3.014       101 / 114
 * JDK      resumed  0.990 / 1.052       358 / 274
 * OPENSSL  full     1.551 / 1.333        71 / 183
 * OPENSSL  resumed  0.639 / 0.672       548 / 486
 * </pre>
 * Every "full" row counted 0/2000 resumed handshakes and every "resumed" row 2000/2000. The same figures,
 * with what they mean for operators, are in docs/operations.md.
 */
public final class TlsResumptionBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final char[] STORE_PASSWORD = "bench".toCharArray();

    private TlsResumptionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int handshakes = Integer.getInteger("handshakes", 2_000);
        int warmUp = Integer.getInteger("warmUp", Math.min(handshakes, 1_000));
        List<TlsEngine> engines = new ArrayList<>(List.of(TlsEngine.JDK));
        if (TlsContextFactory.isOpenSslUsable()) {
            engines.add(TlsEngine.OPENSSL);
        } else {
            System.out.println("netty-tcnative (BoringSSL) is not usable here; measuring the JDK engine only");
        }
        System.out.printf("Broker CPU per connection (TLS 1.3 + MQTT 5 CONNECT), %d connections per row%n",
                handshakes);
        System.out.printf("%-8s %-8s %12s %12s %14s %10s%n", "engine", "kind", "brokerCpuMs", "processCpuMs",
                "connections/s", "resumed");
        for (TlsEngine engine : engines) {
            Path directory = Files.createTempDirectory("portcullis-tls-bench-");
            try (RunningBroker broker = RunningBroker.start(directory, config -> withEngine(config, engine))) {
                Clients clients = new Clients(broker);
                // Warm-up: the JIT compiles both paths before anything is measured.
                run(broker, clients, false, warmUp);
                run(broker, clients, true, warmUp);
                report(engine, "full", run(broker, clients, false, handshakes), handshakes);
                report(engine, "resumed", run(broker, clients, true, handshakes), handshakes);
            }
        }
    }

    /** The engine under test; accept limits out of the way, since every connection comes from 127.0.0.1. */
    private static BrokerConfig withEngine(BrokerConfig config, TlsEngine engine) {
        TlsConfig tls = config.tls();
        ListenersConfig listeners = config.listeners();
        AcceptLimits unlimited = new AcceptLimits(1_000_000, 1_000_000, 1_000_000, 1_000_000, 100_000, 0);
        return config.withTls(new TlsConfig(engine, tls.handshakeTimeout(), tls.serverCertificates(),
                        tls.certificateExpiryWarning(), SessionTicketConfig.DEFAULTS, tls.ocspStapling()))
                .withListeners(new ListenersConfig(listeners.mqtts(), listeners.websocket(), unlimited));
    }

    /** What one row measured. */
    private record Result(long brokerCpuNanos, long processCpuNanos, long wallNanos, long full, long resumed) {
    }

    private static void report(TlsEngine engine, String kind, Result result, int handshakes) {
        System.out.printf("%-8s %-8s %12.3f %12.3f %14.0f %10s%n", engine, kind,
                result.brokerCpuNanos() / 1e6 / handshakes, result.processCpuNanos() / 1e6 / handshakes,
                handshakes / (result.wallNanos() / 1e9), result.resumed() + "/" + (result.full() + result.resumed()));
    }

    private static Result run(RunningBroker broker, Clients clients, boolean resume, int handshakes)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        TlsContextHolder tls = broker.broker().tlsContexts();
        SSLContext shared = clients.context();
        // The shared context's first connection is full; it hands the ticket to the measured ones.
        if (resume) {
            connect(broker, shared, "bench-prime");
        }
        long fullBefore = tls.fullHandshakes();
        long resumedBefore = tls.resumedHandshakes();
        long self = Thread.currentThread().getId();
        Map<Long, Long> cpuBefore = threadCpu(threads, self);
        long clientBefore = threads.getCurrentThreadCpuTime();
        long processBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();

        for (int i = 0; i < handshakes; i++) {
            connect(broker, resume ? shared : clients.context(), "bench-" + i);
        }

        long wall = System.nanoTime() - wallBefore;
        long process = os.getProcessCpuTime() - processBefore;
        long client = threads.getCurrentThreadCpuTime() - clientBefore;
        Map<Long, Long> cpuAfter = threadCpu(threads, self);
        long brokerCpu = 0;
        for (Map.Entry<Long, Long> entry : cpuAfter.entrySet()) {
            brokerCpu += entry.getValue() - cpuBefore.getOrDefault(entry.getKey(), 0L);
        }
        return new Result(brokerCpu, process - client, wall, tls.fullHandshakes() - fullBefore,
                tls.resumedHandshakes() - resumedBefore);
    }

    /** CPU time of every live thread but {@code except}, by thread id. */
    private static Map<Long, Long> threadCpu(ThreadMXBean threads, long except) {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long nanos = threads.getThreadCpuTime(id);
            if (id != except && nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    private static void connect(RunningBroker broker, SSLContext context, String clientId) throws Exception {
        try (RawMqttClient client = RawMqttClient.open(context, broker.mqttsPort(), MqttVersion.V5)) {
            Connack connack = client.connect(new Connect(MqttVersion.V5, clientId, true, 30, null, null, null, 0,
                    Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(), null,
                    null), TIMEOUT);
            if (connack.reasonCode() != 0) {
                throw new IllegalStateException("CONNACK " + connack.reasonCode() + " for " + clientId);
            }
            client.send(new Disconnect(0, null, null, List.of(), null));
        }
    }

    /** Client TLS contexts for the dev certificate {@code client-1}, built from key and trust managers made once. */
    private static final class Clients {
        private final KeyManager[] keyManagers;
        private final TrustManager[] trustManagers;

        Clients(RunningBroker broker) throws Exception {
            var files = broker.clientFiles("client-1");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), STORE_PASSWORD,
                    PemFiles.readCertificates(files.certificate()).toArray(new Certificate[0]));
            KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keys, STORE_PASSWORD);
            this.keyManagers = keyFactory.getKeyManagers();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.readCertificates(broker.caFile())) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trustFactory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustFactory.init(trust);
            this.trustManagers = trustFactory.getTrustManagers();
        }

        /** A new context: an empty session cache, so its first connection makes a full handshake. */
        SSLContext context() throws Exception {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers, trustManagers, null);
            return context;
        }
    }
}
