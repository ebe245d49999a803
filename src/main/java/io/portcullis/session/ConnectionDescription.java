package io.portcullis.session;

import java.util.Objects;

/**
 * What an operator sees of the connection holding a session (admin API): protocol, transport, the
 * client's address and when it connected. Immutable.
 *
 * @param protocol          for example {@code MQTT 5.0}
 * @param transport         {@code mqtts} or {@code wss}
 * @param remoteAddress     the client's address and port
 * @param connectedAtMillis when CONNACK accepted the connection, epoch milliseconds
 */
public record ConnectionDescription(String protocol, String transport, String remoteAddress,
                                    long connectedAtMillis) {
    public ConnectionDescription {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
}
