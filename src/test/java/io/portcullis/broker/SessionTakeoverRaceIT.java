package io.portcullis.broker;

import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections resuming one persistent session at the same moment (a flapping device, a reconnect
 * storm): however their takeovers interleave across event loops, exactly one connection holds the
 * session afterwards and every other one is closed (SPEC 2.4).
 */
class SessionTakeoverRaceIT {
    private static final int CONNECTIONS = 60;

    @TempDir
    static Path directory;
    static RunningBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @org.junit.jupiter.api.RepeatedTest(3)
    void concurrentResumesOfOneSessionLeaveExactlyOneConnection() throws Exception {
        SSLContext tls = broker.clientSslContext("client-1");
        List<RawMqttClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(RawMqttClient.open(tls, broker.mqttsPort(), MqttVersion.V5));
            }
            Connect connect = new Connect(MqttVersion.V5, "race-session", false, 60, null, null, null, 60,
                    Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(),
                    null, null);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sends = new ArrayList<>();
            for (RawMqttClient client : clients) {
                sends.add(pool.submit(() -> {
                    start.await();
                    client.send(connect);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> send : sends) {
                send.get(10, TimeUnit.SECONDS);
            }

            // Let every CONNECT be answered and every takeover settle, then ask each connection for a PINGRESP.
            Thread.sleep(2000);
            int alive = 0;
            for (RawMqttClient client : clients) {
                if (answersPing(client)) {
                    alive++;
                }
            }
            assertThat(alive).as("connections still holding the session").isEqualTo(1);
        } finally {
            pool.shutdownNow();
            clients.forEach(RawMqttClient::close);
        }
    }

    /** Drains what the broker sent (CONNACK, DISCONNECT 0x8E …) and reports whether a PINGREQ is answered. */
    private static boolean answersPing(RawMqttClient client) {
        try {
            MqttPacket packet;
            while ((packet = client.nextPacket(Duration.ofMillis(100))) != null) {
                if (packet instanceof io.portcullis.protocol.codec.Disconnect) {
                    return false;
                }
            }
            client.send(Pingreq.INSTANCE);
            return client.nextPacket(Duration.ofSeconds(2)) instanceof Pingresp;
        } catch (AssertionError | java.io.IOException closed) {
            return false;
        }
    }
}
