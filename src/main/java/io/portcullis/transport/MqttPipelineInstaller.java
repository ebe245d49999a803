package io.portcullis.transport;

import io.netty.channel.ChannelPipeline;

/**
 * Adds the MQTT handlers (codec, timeouts, protocol handler) to a connection's pipeline once the
 * transport has finished its part: after the TLS handshake on MQTTS, after the WebSocket upgrade on
 * secure WebSockets. By then {@link TlsConnectionInfo#ATTRIBUTE} is set on the channel, and the
 * pipeline delivers a plain byte stream in both cases. Called on the connection's event loop.
 */
@FunctionalInterface
public interface MqttPipelineInstaller {

    /** Appends the MQTT handlers at the end of {@code pipeline}. */
    void install(ChannelPipeline pipeline);
}
