package io.portcullis.conformance;

import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Pingreq;
import io.portcullis.protocol.codec.Pingresp;
import io.portcullis.testsupport.RawMqttClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep alive (section 3.1.2.10 and 3.12 in both versions): a client that sends nothing for one and a half
 * times its keep alive is disconnected; PINGREQ keeps it alive. Subclasses start their broker with
 * {@link #MAXIMUM_KEEP_ALIVE} as {@code maximumKeepAliveSeconds}.
 */
public abstract class KeepAliveBehaviour extends VersionedBehaviour {
    protected static final int MAXIMUM_KEEP_ALIVE = 1;
    private static final long ONE_AND_A_HALF_MILLIS = 1_500;
    /** Only for rounding to whole milliseconds. */
    private static final long TOLERANCE_MILLIS = 5;

    /** Waits for the version's answer to an expired keep alive (MQTT 5 DISCONNECT 0x8D, 3.1.1 a close). */
    protected abstract void expectKeepAliveTimeout(RawMqttClient client);

    private void assertDisconnectedAfterOneAndAHalfTimes(int keepAlive) throws Exception {
        try (RawMqttClient client = broker().open("client-1", version())) {
            // Measured from before the CONNECT, so the broker's timer (started at CONNACK) lies inside it.
            long start = System.nanoTime();
            Connack connack = client.connect(Packets.connect(version(), unique("idle")).keepAlive(keepAlive).build(),
                    ConformanceBroker.WAIT);
            assertThat(connack.reasonCode()).isZero();

            expectKeepAliveTimeout(client);
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(elapsedMillis).isGreaterThanOrEqualTo(ONE_AND_A_HALF_MILLIS - TOLERANCE_MILLIS);
        }
    }

    /** No packet within 1.5 times the keep alive: disconnected [MQTT-3.1.2-22 (5.0), MQTT-3.1.2-24 (3.1.1)]. */
    @Test
    void disconnectsAnIdleClient() throws Exception {
        assertDisconnectedAfterOneAndAHalfTimes(1);
    }

    /** A keep alive above the broker's maximum is held to the maximum (docs/mqtt-behaviour.md). */
    @Test
    void holdsALongKeepAliveToTheBrokerMaximum() throws Exception {
        assertDisconnectedAfterOneAndAHalfTimes(60);
    }

    /** PINGREQ is answered with PINGRESP [MQTT-3.12.4-1] and keeps the connection open past 1.5 keep alives. */
    @Test
    void staysConnectedWhileThePingsCome() throws Exception {
        try (RawMqttClient client = broker().connect(Packets.connect(version(), unique("pinging"))
                .keepAlive(1).build())) {
            for (int i = 0; i < 5; i++) {
                Thread.sleep(600);
                client.send(Pingreq.INSTANCE);
                client.expectPacket(Pingresp.class, ConformanceBroker.WAIT);
            }
        }
    }
}
