package io.portcullis.transport;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeTimeoutHandlerTest {

    @Test
    void closesTheConnectionWhenTheTimeoutPasses() {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeTimeoutHandler(Duration.ofSeconds(10)));

        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void removingTheHandlerCancelsTheTimeout() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(TlsChannelInitializer.HANDSHAKE_TIMEOUT,
                new HandshakeTimeoutHandler(Duration.ofSeconds(10)));

        channel.pipeline().remove(TlsChannelInitializer.HANDSHAKE_TIMEOUT);
        channel.advanceTimeBy(20, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isTrue();
    }
}
