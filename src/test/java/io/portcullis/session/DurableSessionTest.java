package io.portcullis.session;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.portcullis.config.MqttSettings;
import io.portcullis.persistence.Recovered;
import io.portcullis.persistence.RocksDbStore;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.routing.SubscriptionTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A persistent session on a real RocksDB store: offline, its queue lives on disk only and is bounded there
 * by the overflow policy; resumed, it is read back in pages, in order, and acknowledged messages leave the
 * store.
 */
class DurableSessionTest {
    private static final int MAXIMUM_QUEUED = 300;

    @TempDir
    Path directory;

    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stopLoop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static MqttSettings settings() {
        MqttSettings d = MqttSettings.DEFAULTS;
        return new MqttSettings(d.maximumPacketSize(), d.maximumTopicLength(), d.maximumTopicLevels(),
                d.maximumSubscriptionsPerSession(), d.maximumFiltersPerSubscribe(), d.maximumKeepAliveSeconds(),
                d.connectTimeout(), d.maximumSessionExpirySeconds(), d.receiveMaximum(), d.maximumOutboundInflight(),
                d.topicAliasMaximum(), MAXIMUM_QUEUED, d.maximumQueuedBytes(),
                MqttSettings.QueueOverflowPolicy.DropOldest,
                d.slowSubscriberGracePeriod(), d.maximumRetainedMessageSize(), d.maximumRetainedMessages(), true);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private static Message message(int number) {
        return new Message("t/" + number, 1, false, Integer.toString(number).getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE, "publisher", System.currentTimeMillis());
    }

    @Test
    void offlineQueueLivesOnDiskIsTrimmedThereAndComesBackInOrder() throws Exception {
        List<Integer> received;
        try (RocksDbStore store = RocksDbStore.open(directory, true, Clock.systemUTC())) {
            SessionServices services = new SessionServices(settings(), new SubscriptionTree(), Clock.systemUTC(),
                    new SessionMetrics(), store);
            SessionRegistry registry = new SessionRegistry(new InMemorySessionStore(), services);
            Session session = ((SessionClaim.Granted) registry.claim("sub", "sub", 10, false, loop)).session();
            FakeConnection first = new FakeConnection(loop);
            onLoop(() -> {
                session.sessionExpirySeconds(3600);
                session.attach(first);
                session.subscribe("t/#", SubscriptionOptions.ofQos(1));
                session.detach(first, null, 0);
                return null;
            });

            // 1000 messages into a queue bounded at 300, from this thread as a publisher's would be.
            for (int i = 1; i <= 1000; i++) {
                session.deliver(message(i), 1, false, List.of());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(() -> session.queuedMessages() == MAXIMUM_QUEUED
                    && session.queuedInMemory() == 0));
            assertThat(services.metrics().messagesDropped(SessionMetrics.DropReason.QUEUE_FULL)).isEqualTo(700);

            FakeConnection second = new FakeConnection(loop);
            onLoop(() -> {
                session.attach(second);
                return null;
            });
            received = second.acknowledgeUntil(session, MAXIMUM_QUEUED);
            await().atMost(Duration.ofSeconds(10)).until(() -> onLoop(() -> session.queuedMessages() == 0
                    && session.inflight().isEmpty()));
            onLoop(() -> {
                session.detach(second, null, 0);
                return null;
            });
        }

        // The oldest were dropped; the rest arrived in publishing order, each once.
        assertThat(received).containsExactlyElementsOf(IntStream.rangeClosed(701, 1000).boxed().toList());
        try (RocksDbStore store = RocksDbStore.open(directory, true, Clock.systemUTC())) {
            Recovered recovered = store.recover();
            assertThat(recovered.sessions()).singleElement().satisfies(s -> {
                assertThat(s.queuedCount()).isZero();
                assertThat(s.inflight()).isEmpty();
                assertThat(s.subscriptions()).containsKey("t/#");
            });
        }
    }

    /** A connection that records the PUBLISH packets it is given; acknowledges them when asked. */
    private final class FakeConnection implements SessionConnection {
        private final EventExecutor executor;
        private final List<Publish> written = new CopyOnWriteArrayList<>();

        FakeConnection(EventExecutor executor) {
            this.executor = executor;
        }

        /** Acknowledges every PUBLISH as it arrives until {@code count} arrived; returns their numbers in order. */
        List<Integer> acknowledgeUntil(Session session, int count) throws Exception {
            List<Integer> numbers = new ArrayList<>();
            int acknowledged = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (numbers.size() < count && System.nanoTime() < deadline) {
                List<Publish> batch = onLoop(() -> List.copyOf(written.subList(0, written.size())));
                for (int i = acknowledged; i < batch.size(); i++) {
                    Publish publish = batch.get(i);
                    numbers.add(Integer.parseInt(new String(publish.payload(), StandardCharsets.UTF_8)));
                    onLoop(() -> {
                        session.onPuback(publish.packetId());
                        return null;
                    });
                }
                acknowledged = batch.size();
                Thread.sleep(5);
            }
            return numbers;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public MqttVersion version() {
            return MqttVersion.V5;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public int receiveMaximum() {
            return 20;
        }

        @Override
        public long maximumPacketSize() {
            return 0;
        }

        @Override
        public int encodedSize(Publish publish) {
            return 0;
        }

        @Override
        public void write(MqttPacket packet) {
            if (packet instanceof Publish publish) {
                written.add(publish);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void disconnect(int reasonCode, String reason) {
        }

        @Override
        public void takenOver() {
        }
    }
}
