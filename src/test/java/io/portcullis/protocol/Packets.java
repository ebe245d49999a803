package io.portcullis.protocol;

import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Subscribe;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builders for the packets tests send. */
final class Packets {
    private Packets() {
    }

    /** A CONNECT builder with the defaults a plain client sends. */
    static ConnectBuilder connect(MqttVersion version, String clientId, String username) {
        return new ConnectBuilder(version, clientId, username);
    }

    static Publish publish(String topic, int qos, int packetId, String payload) {
        return new Publish(topic, qos, false, false, packetId, payload.getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE);
    }

    static Publish retained(String topic, int qos, int packetId, String payload) {
        return new Publish(topic, qos, true, false, packetId, payload.getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE);
    }

    static Subscribe subscribe(int packetId, String filter, int qos) {
        return new Subscribe(packetId, List.of(new Subscribe.Subscription(filter, qos, false, false, 0)), 0,
                List.of());
    }

    static String text(Publish publish) {
        return new String(publish.payload(), StandardCharsets.UTF_8);
    }

    static final class ConnectBuilder {
        private final MqttVersion version;
        private final String clientId;
        private final String username;
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private long sessionExpiry;
        private int receiveMaximum = Connect.DEFAULT_RECEIVE_MAXIMUM;
        private long maximumPacketSize;
        private Connect.Will will;
        private String authenticationMethod;
        private boolean requestProblemInformation = true;

        ConnectBuilder(MqttVersion version, String clientId, String username) {
            this.version = version;
            this.clientId = clientId;
            this.username = username;
        }

        ConnectBuilder cleanStart(boolean value) {
            cleanStart = value;
            return this;
        }

        ConnectBuilder keepAlive(int seconds) {
            keepAlive = seconds;
            return this;
        }

        ConnectBuilder sessionExpiry(long seconds) {
            sessionExpiry = seconds;
            return this;
        }

        ConnectBuilder receiveMaximum(int value) {
            receiveMaximum = value;
            return this;
        }

        ConnectBuilder maximumPacketSize(long bytes) {
            maximumPacketSize = bytes;
            return this;
        }

        ConnectBuilder will(String topic, String payload, int qos, long delaySeconds) {
            will = new Connect.Will(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false,
                    PublishProperties.NONE, delaySeconds);
            return this;
        }

        ConnectBuilder authenticationMethod(String method) {
            authenticationMethod = method;
            return this;
        }

        ConnectBuilder requestProblemInformation(boolean value) {
            requestProblemInformation = value;
            return this;
        }

        Connect build() {
            return new Connect(version, clientId, cleanStart, keepAlive, username, null, will, sessionExpiry,
                    receiveMaximum, maximumPacketSize, 10, false, requestProblemInformation, List.of(),
                    authenticationMethod, null);
        }
    }
}
