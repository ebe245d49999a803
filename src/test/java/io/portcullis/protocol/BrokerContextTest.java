package io.portcullis.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.portcullis.protocol.codec.MqttPacketEncoder;
import io.portcullis.protocol.codec.MqttVersion;
import org.junit.jupiter.api.Test;


import static io.portcullis.protocol.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;

class BrokerContextTest {
    private final TestBroker broker = new TestBroker();

    @Test
    void installsTheMqttHandlersInOrder() {
        EmbeddedChannel channel = new EmbeddedChannel();

        broker.context.install(channel.pipeline());

        assertThat(channel.pipeline().names()).containsSubsequence("mqttDecoder", "mqttEncoder", "connectTimeout",
                "keepAlive", "mqttProtocol", "tailExceptions");
    }

    @Test
    void answersAnMqtt311ConnectInBytesWithTheRealCodec() {
        EmbeddedChannel channel = new EmbeddedChannel();
        broker.context.install(channel.pipeline());

        channel.writeInbound(encode(connect(MqttVersion.V3_1_1, "dev", "alice").build()));

        ByteBuf connack = channel.readOutbound();
        byte[] bytes = new byte[connack.readableBytes()];
        connack.readBytes(bytes);
        connack.release();
        // CONNACK, remaining length 2, no session present, return code 0 (3.1.1 form).
        assertThat(bytes).containsExactly(0x20, 0x02, 0x00, 0x00);
        assertThat(channel.pipeline().get("connectTimeout")).isNull();
    }

    private static ByteBuf encode(io.portcullis.protocol.codec.MqttPacket packet) {
        EmbeddedChannel encoder = new EmbeddedChannel(new MqttPacketEncoder());
        encoder.writeOutbound(packet);
        ByteBuf joined = Unpooled.buffer();
        ByteBuf part;
        while ((part = encoder.readOutbound()) != null) {
            joined.writeBytes(part);
            part.release();
        }
        return joined;
    }
}
