package io.portcullis.transport;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ListenerBindExceptionTest {

    @Test
    void saysAnUnresolvedAddressCannotBeResolvedInsteadOfUnknownError() throws Exception {
        UnresolvedAddressException unresolved;
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            unresolved = catchThrowableOfType(UnresolvedAddressException.class,
                    () -> channel.bind(InetSocketAddress.createUnresolved("no-such-host.invalid", 0)));
        }

        ListenerBindException e = new ListenerBindException("mqtts", "no-such-host.invalid", 8883, unresolved);

        assertThat(e.reason()).isEqualTo("no-such-host.invalid cannot be resolved to an address");
    }

    @Test
    void dropsTheNativeTransportsCallPrefix() {
        ListenerBindException e = new ListenerBindException("wss", "127.0.0.1", 443,
                new java.io.IOException("bind(..) failed with error(-98): Address already in use"));

        assertThat(e.reason()).isEqualTo("Address already in use");
    }
}
