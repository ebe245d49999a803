package io.portcullis.protocol;

import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.protocol.codec.Connack;
import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttPacket;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One connection to the broker as an EmbeddedChannel that exchanges packet objects. */
final class TestClient {
    final EmbeddedChannel channel;

    TestClient(BrokerContext context) {
        channel = new EmbeddedChannel();
        context.installProtocolHandlers(channel.pipeline());
    }

    Connack connect(Connect connect) {
        send(connect);
        return next(Connack.class);
    }

    TestClient send(MqttPacket packet) {
        channel.writeInbound(packet);
        return this;
    }

    /** Everything the broker wrote since the last call. */
    List<MqttPacket> received() {
        channel.runPendingTasks();
        List<MqttPacket> packets = new ArrayList<>();
        Object next;
        while ((next = channel.readOutbound()) != null) {
            packets.add((MqttPacket) next);
        }
        return packets;
    }

    <T extends MqttPacket> T next(Class<T> type) {
        channel.runPendingTasks();
        Object next = channel.readOutbound();
        assertThat(next).as("next packet").isInstanceOf(type);
        return type.cast(next);
    }

    boolean isOpen() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    /**
     * The network connection is lost. Fired as channelInactive without closing the EmbeddedChannel,
     * because closing one cancels the tasks scheduled on its loop, which an offline session still uses
     * (a real event loop outlives its channels).
     */
    void dropConnection() {
        channel.pipeline().fireChannelInactive();
        channel.runPendingTasks();
    }
}
