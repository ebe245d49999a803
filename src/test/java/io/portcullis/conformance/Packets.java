package io.portcullis.conformance;

import io.portcullis.protocol.codec.Connect;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Subscribe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builders for the packets conformance tests send; defaults are what a plain client sends. */
public final class Packets {
    private Packets() {
    }

    /** A CONNECT builder: Clean Start 1, keep alive 60 s, no session expiry, no Will. */
    public static ConnectBuilder connect(MqttVersion version, String clientId) {
        return new ConnectBuilder(version, clientId);
    }

    public static Publish publish(String topic, int qos, int packetId, String payload) {
        return publish(topic, qos, false, packetId, payload, PublishProperties.NONE);
    }

    public static Publish publish(String topic, int qos, boolean retain, int packetId, String payload,
                                  PublishProperties properties) {
        return new Publish(topic, qos, retain, false, packetId, payload.getBytes(StandardCharsets.UTF_8),
                properties);
    }

    public static PublishProperties expiry(long seconds) {
        return PublishProperties.NONE.withMessageExpiryInterval(seconds);
    }

    public static Subscribe subscribe(int packetId, String filter, int qos) {
        return subscribe(packetId, 0, subscription(filter, qos));
    }

    public static Subscribe subscribe(int packetId, int subscriptionIdentifier, Subscribe.Subscription... filters) {
        return new Subscribe(packetId, List.of(filters), subscriptionIdentifier, List.of());
    }

    public static Subscribe.Subscription subscription(String filter, int qos) {
        return new Subscribe.Subscription(filter, qos, false, false, 0);
    }

    public static String text(Publish publish) {
        return new String(publish.payload(), StandardCharsets.UTF_8);
    }

    /**
     * A whole packet from its first byte and body parts, with the Remaining Length computed: for bytes the
     * encoder would refuse to write.
     */
    public static byte[] frame(int firstByte, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.size();
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** Bytes from ints, for hand-made packets. */
    public static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    /** A UTF-8 Encoded String field (two-byte length, then the bytes as given, valid or not). */
    public static byte[] stringField(byte[] raw) {
        byte[] field = new byte[raw.length + 2];
        field[0] = (byte) (raw.length >>> 8);
        field[1] = (byte) raw.length;
        System.arraycopy(raw, 0, field, 2, raw.length);
        return field;
    }

    public static byte[] stringField(String text) {
        return stringField(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A CONNECT with Clean Start, keep alive 60 s, no properties and {@code clientId} as raw bytes, in the
     * given protocol version.
     */
    public static byte[] rawConnect(MqttVersion version, byte[] clientId) {
        byte[] properties = version.isV5() ? bytes(0) : new byte[0];
        return frame(0x10, stringField("MQTT"), bytes(version.level(), 0x02, 0, 60), properties,
                stringField(clientId));
    }

    /** A CONNECT under construction. */
    public static final class ConnectBuilder {
        private final MqttVersion version;
        private final String clientId;
        private boolean cleanStart = true;
        private int keepAlive = 60;
        private long sessionExpiry;
        private int receiveMaximum = Connect.DEFAULT_RECEIVE_MAXIMUM;
        private long maximumPacketSize = Connect.NO_MAXIMUM_PACKET_SIZE;
        private Connect.Will will;

        private ConnectBuilder(MqttVersion version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        public ConnectBuilder cleanStart(boolean value) {
            cleanStart = value;
            return this;
        }

        public ConnectBuilder keepAlive(int seconds) {
            keepAlive = seconds;
            return this;
        }

        public ConnectBuilder sessionExpiry(long seconds) {
            sessionExpiry = seconds;
            return this;
        }

        public ConnectBuilder receiveMaximum(int value) {
            receiveMaximum = value;
            return this;
        }

        public ConnectBuilder maximumPacketSize(long bytes) {
            maximumPacketSize = bytes;
            return this;
        }

        public ConnectBuilder will(String topic, String payload, int qos, boolean retain, long delaySeconds) {
            will = new Connect.Will(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain,
                    PublishProperties.NONE, delaySeconds);
            return this;
        }

        public Connect build() {
            return new Connect(version, clientId, cleanStart, keepAlive, null, null, will, sessionExpiry,
                    receiveMaximum, maximumPacketSize, 0, false, true, List.of(), null, null);
        }
    }
}
