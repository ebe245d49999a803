package io.portcullis.broker;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.portcullis.config.AcceptLimits;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.pki.PemFiles;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.testsupport.RawMqttClient;
import io.portcullis.testsupport.RunningBroker;
import io.portcullis.transport.AcceptLimiter;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconnect storm: 2,000 TLS connection attempts opened at once on loopback while an established
 * subscriber receives a steady QoS 1 stream from an established publisher (both Eclipse Paho). The accept
 * limits are set low enough that most of the storm is refused before TLS. Every message of the stream
 * arrives in order and both established clients stay connected; every attempt ends in a CONNACK or a close,
 * and the broker's accept counters account for each one.
 *
 * <p>The storm's clients share one small Netty event-loop group (two threads) and speak just enough MQTT to
 * read the CONNACK; they use the dev certificate {@code client-3}, whose session cap is raised to the most
 * allowed (1,000, far above the 150 handshakes in progress the limits allow) so a served attempt gets CONNACK
 * 0x00.
 */
class ReconnectStormIT {
    private static final int ATTEMPTS = 2_000;
    /**
     * Low enough that the storm meets the global limits: most of it is refused before any TLS work. Every
     * attempt comes from 127.0.0.1, so the per-source limits are off; they would refuse all but a few.
     */
    private static final AcceptLimits LIMITS = new AcceptLimits(300, 300, 100_000, 100_000, 150, 0);
    private static final String TOPIC = "storm/stream";

    @TempDir
    Path directory;

    enum Outcome {
        /** TLS completed and the broker answered CONNECT with CONNACK 0x00. */
        SERVED,
        /** TLS completed and the broker answered with a refusing CONNACK. */
        REFUSED_BY_CONNACK,
        /** The connection was reset or closed before a CONNACK (refused before TLS, or TLS failed). */
        CLOSED
    }

    private static BrokerConfig stormLimits(BrokerConfig config) {
        ListenersConfig listeners = config.listeners();
        return new BrokerConfig(new ListenersConfig(listeners.mqtts(), listeners.websocket(), LIMITS),
                config.tls(), config.mqtt(),
                new NamespaceSettings(config.namespace().alternativeAuthenticationNameSources(), 1000),
                config.subjectNameMatch(), config.caCertificates(), config.clients(), config.clientGroups(),
                config.topicSpaces(), config.permissionBindings(), config.storage(), config.revocation(),
                config.admin());
    }

    private static MqttClient pahoClient(RunningBroker broker, String certificate, String clientId)
            throws Exception {
        MqttClient client = new MqttClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(broker.clientSslContext(certificate).getSocketFactory());
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(10);
        // Paho frees an in-flight slot only after it has woken the publishing thread, so a loop of blocking
        // QoS 1 publishes can find the default window of 10 full.
        options.setMaxInflight(100);
        client.connect(options);
        return client;
    }

    @Test
    void establishedStreamKeepsFlowingAndEveryAttemptIsServedOrClosed() throws Exception {
        try (RunningBroker broker = RunningBroker.start(directory, ReconnectStormIT::stormLimits)) {
            MqttClient subscriber = pahoClient(broker, "client-1", "storm-subscriber");
            MqttClient publisher = pahoClient(broker, "client-2", "storm-publisher");
            List<Integer> received = new CopyOnWriteArrayList<>();
            subscriber.subscribe(TOPIC, 1, (topic, message) -> received.add(
                    Integer.parseInt(new String(message.getPayload(), StandardCharsets.UTF_8))));

            AtomicBoolean stormOver = new AtomicBoolean();
            AtomicInteger published = new AtomicInteger();
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> publishUntil(publisher, stormOver,
                    published));
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() >= 10);

            AcceptLimiter.Snapshot before = broker.broker().acceptLimiter().snapshot();
            int receivedBeforeStorm = received.size();
            Map<Outcome, Integer> outcomes;
            try (Storm storm = new Storm(broker)) {
                outcomes = storm.run(ATTEMPTS);
            } finally {
                stormOver.set(true);
            }
            int receivedDuringStorm = received.size() - receivedBeforeStorm;
            stream.get(10, TimeUnit.SECONDS);

            assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(ATTEMPTS);
            assertThat(outcomes.get(Outcome.SERVED)).isPositive();
            assertThat(outcomes.get(Outcome.CLOSED)).isPositive();
            assertThat(receivedDuringStorm).as("messages received while the storm ran").isPositive();
            int total = published.get();
            await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() >= total);
            assertThat(received).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
            assertThat(subscriber.isConnected()).isTrue();
            assertThat(publisher.isConnected()).isTrue();

            // The broker saw every attempt and decided each; no handshake slot is left behind.
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                AcceptLimiter.Snapshot after = broker.broker().acceptLimiter().snapshot();
                assertThat(after.accepted() - before.accepted() + after.refused() - before.refused())
                        .isEqualTo(ATTEMPTS);
                assertThat(after.handshakesInProgress()).isZero();
            });
            AcceptLimiter.Snapshot after = broker.broker().acceptLimiter().snapshot();
            assertThat(after.refused() - before.refused()).as("refused before TLS, outcomes %s", outcomes)
                .isEqualTo((long) outcomes.get(Outcome.CLOSED));

            publisher.disconnect();
            subscriber.disconnect();
            publisher.close();
            subscriber.close();
        }
    }

    /** Publishes 0, 1, 2, ... at QoS 1, each after the previous PUBACK, until the storm is over. */
    private static void publishUntil(MqttClient publisher, AtomicBoolean stormOver, AtomicInteger published) {
        try {
            while (!stormOver.get()) {
                int next = published.get();
                publisher.publish(TOPIC, Integer.toString(next).getBytes(StandardCharsets.UTF_8), 1, false);
                published.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the established publisher failed after " + published.get()
                    + " messages", e);
        }
    }

    /** The storm's clients: one Netty group of two threads, one TLS context, a bare CONNECT each. */
    private static final class Storm implements AutoCloseable {
        private final RunningBroker broker;
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        private final SslContext tls;
        private final byte[] connect;

        Storm(RunningBroker broker) throws Exception {
            this.broker = broker;
            var files = broker.clientFiles("client-3");
            List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
            PrivateKey key = PemFiles.readPrivateKey(files.privateKey());
            this.tls = SslContextBuilder.forClient().keyManager(key, chain)
                    .trustManager(PemFiles.readCertificates(broker.caFile())).protocols("TLSv1.3").build();
            this.connect = RawMqttClient.encode(new Connect(MqttVersion.V5, "", true, 60, null, null, null, 0,
                    Connect.DEFAULT_RECEIVE_MAXIMUM, Connect.NO_MAXIMUM_PACKET_SIZE, 0, false, true, List.of(),
                    null, null), MqttVersion.V5);
        }

        /** Opens {@code attempts} connections without waiting in between; returns how each one ended. */
        Map<Outcome, Integer> run(int attempts) throws Exception {
            List<CompletableFuture<Outcome>> results = new ArrayList<>(attempts);
            Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
            for (int i = 0; i < attempts; i++) {
                CompletableFuture<Outcome> result = new CompletableFuture<>();
                results.add(result);
                ChannelFuture connected = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        SslHandler ssl = tls.newHandler(channel.alloc(), "localhost", broker.mqttsPort());
                        // The broker's own handshake timeout must end a stuck handshake, not the client's.
                        ssl.setHandshakeTimeoutMillis(0);
                        channel.pipeline().addLast(ssl, new ConnackReader(connect, result));
                    }
                }).connect("127.0.0.1", broker.mqttsPort());
                connected.addListener(future -> {
                    if (!future.isSuccess()) {
                        result.complete(Outcome.CLOSED);
                    }
                });
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(results.toArray(new CompletableFuture[0]));
            try {
                all.get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                long hanging = results.stream().filter(r -> !r.isDone()).count();
                throw new AssertionError(hanging + " of " + attempts + " attempts neither served nor closed", e);
            }
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                counts.put(outcome, 0);
            }
            for (CompletableFuture<Outcome> result : results) {
                counts.merge(result.get(), 1, Integer::sum);
            }
            return counts;
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Sends CONNECT once TLS is up, reads the CONNACK's reason code, then says DISCONNECT and closes. */
    private static final class ConnackReader extends ChannelInboundHandlerAdapter {
        private static final byte[] DISCONNECT = {(byte) 0xE0, 0x00};
        private final byte[] connect;
        private final CompletableFuture<Outcome> result;
        private final ByteBuf received = Unpooled.buffer(8);

        ConnackReader(byte[] connect, CompletableFuture<Outcome> result) {
            this.connect = connect;
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(connect));
                } else {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                received.writeBytes(bytes);
            } finally {
                ReferenceCountUtil.release(bytes);
            }
            // MQTT 5 CONNACK: 0x20, remaining length, acknowledge flags, reason code, properties.
            if (received.readableBytes() >= 4 && !result.isDone()) {
                boolean isConnack = received.getUnsignedByte(0) == 0x20;
                int reasonCode = received.getUnsignedByte(3);
                result.complete(isConnack && reasonCode == 0 ? Outcome.SERVED
                        : isConnack ? Outcome.REFUSED_BY_CONNACK : Outcome.CLOSED);
                ctx.writeAndFlush(Unpooled.wrappedBuffer(DISCONNECT)).addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.release();
            result.complete(Outcome.CLOSED);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
