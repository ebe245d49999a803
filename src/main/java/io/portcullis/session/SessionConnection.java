package io.portcullis.session;

import io.netty.util.concurrent.EventExecutor;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Publish;

/**
 * What a {@link Session} needs from the network connection that currently holds it. Implemented by
 * the protocol handler; every method is called on {@link #executor()}, the connection's event loop,
 * which is also the session's owner while the connection holds it.
 */
public interface SessionConnection {

    /** The connection's event loop. */
    EventExecutor executor();

    MqttVersion version();

    /** Whether the channel accepts more writes now; if not, the session waits for {@link Session#onWritable}. */
    boolean isWritable();

    /** The client's Receive Maximum: at most this many QoS 1 and 2 PUBLISH unacknowledged [MQTT-3.3.4-9]. */
    int receiveMaximum();

    /** The client's Maximum Packet Size in bytes, or 0 when it set none. */
    long maximumPacketSize();

    /** The size the PUBLISH takes on the wire in this connection's version. */
    int encodedSize(Publish publish);

    /** Writes without flushing. */
    void write(MqttPacket packet);

    void flush();

    /** Ends the connection through the protocol handler's disconnector. */
    void disconnect(int reasonCode, String reason);

    /**
     * Another connection takes the session over: close this one (MQTT 5 DISCONNECT 0x8E) and detach
     * from the session before returning, so the session can move to the new connection's loop.
     */
    void takenOver();

    /** Protocol, transport, address and connect time, for operators; {@code null} when not known. */
    default ConnectionDescription description() {
        return null;
    }
}
