package io.portcullis.protocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttPacketDecoder;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Puback;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.Packets.subscribe;
import static io.portcullis.protocol.Packets.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker with the real codec on real event-loop threads (Netty local transport): publisher and
 * subscriber connections live on different loops, so delivery hands work across threads.
 */
class MultiLoopDeliveryTest {
    private final TestBroker broker = new TestBroker();
    private EventLoopGroup group;
    private LocalAddress address;
    private Channel server;
    private final List<Channel> clients = new ArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(4, LocalIoHandler.newFactory());
        address = new LocalAddress("portcullis-" + UUID.randomUUID());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        broker.context.install(channel.pipeline());
                    }
                }).bind(address).sync().channel();
    }

    @AfterEach
    void stop() {
        for (Channel client : clients) {
            client.close().syncUninterruptibly();
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A raw client: the codec in client mode and a queue of what the broker sent. */
    private final class RawClient {
        final BlockingQueue<MqttPacket> inbox = new LinkedBlockingQueue<>();
        final Channel channel;
        volatile boolean autoAcknowledge;

        RawClient() throws InterruptedException {
            channel = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel ch) {
                            MqttPacketDecoder decoder = new MqttPacketDecoder(1 << 20, false);
                            decoder.version(MqttVersion.V5);
                            MqttPacketEncoder encoder = new MqttPacketEncoder();
                            encoder.version(MqttVersion.V5);
                            ch.pipeline().addLast(decoder, encoder, new SimpleChannelInboundHandler<MqttPacket>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, MqttPacket packet) {
                                    if (autoAcknowledge && packet instanceof Publish publish && publish.qos() == 1) {
                                        ctx.writeAndFlush(new Puback(publish.packetId(), ReasonCode.SUCCESS));
                                    }
                                    inbox.add(packet);
                                }
                            });
                        }
                    }).connect(address).sync().channel();
            clients.add(channel);
        }

        void send(MqttPacket packet) {
            channel.writeAndFlush(packet);
        }

        <T extends MqttPacket> T take(Class<T> type) throws InterruptedException {
            MqttPacket packet = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(packet).as("packet from the broker").isInstanceOf(type);
            return type.cast(packet);
        }
    }

    @Test
    void deliversEveryQos1MessageInPublishOrderAcrossLoops() throws InterruptedException {
        RawClient subscriber = new RawClient();
        subscriber.autoAcknowledge = true;
        subscriber.send(connect(MqttVersion.V5, "sub", "bob").receiveMaximum(20).build());
        assertThat(subscriber.take(Connack.class).reasonCode()).isZero();
        subscriber.send(subscribe(1, "load/#", 1));
        subscriber.take(Suback.class);
        RawClient publisher = new RawClient();
        publisher.send(connect(MqttVersion.V5, "pub", "alice").build());
        publisher.take(Connack.class);

        int count = 2000;
        for (int i = 0; i < count; i++) {
            publisher.send(publish("load/" + (i % 7), 1, 1 + i % 60_000, Integer.toString(i)));
        }

        List<Integer> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            received.add(Integer.parseInt(text(subscriber.take(Publish.class))));
        }
        assertThat(received).isSorted().hasSize(count).doesNotHaveDuplicates();
        for (int i = 0; i < count; i++) {
            assertThat(publisher.take(Puback.class).reasonCode()).isZero();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.context.sessions().find("sub").queuedMessages() == 0);
    }

    @Test
    void takesOverASessionHeldOnAnotherLoop() throws InterruptedException {
        RawClient first = new RawClient();
        first.send(connect(MqttVersion.V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());
        first.take(Connack.class);
        first.send(subscribe(1, "cmd", 1));
        first.take(Suback.class);

        RawClient second = new RawClient();
        second.send(connect(MqttVersion.V5, "dev", "alice").cleanStart(false).sessionExpiry(600).build());

        assertThat(second.take(Connack.class).sessionPresent()).isTrue();
        assertThat(first.take(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER);
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.channel.isActive());
        RawClient publisher = new RawClient();
        publisher.send(connect(MqttVersion.V5, "pub", "bob").build());
        publisher.take(Connack.class);
        publisher.send(publish("cmd", 1, 1, "go"));
        assertThat(text(second.take(Publish.class))).isEqualTo("go");
        assertThat(broker.context.sessions().find("dev").executor().inEventLoop()).isFalse();
    }
}
