package io.portcullis.persistence;

import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.UserProperty;
import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.QueuedMessage;
import io.portcullis.session.StoredSession;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of every stored value. Each record starts with a format version byte ({@value #VERSION});
 * a reader meets an unknown version, a truncated record or trailing bytes as a {@link RecordFormatException}.
 * Lengths and counts are unsigned variable-length integers, strings UTF-8, times 8-byte big-endian.
 *
 * <pre>
 * message       = version, flags, receivedAtMillis, topic, publisherClientId,
 *                 [payloadFormatIndicator], [messageExpiryInterval], [responseTopic], [correlationData],
 *                 [contentType], userPropertyCount, (name, value)*, payload
 *                 flags: bits 0-1 QoS, 2 RETAIN, 3-7 which optional properties follow
 * queued        = version, deliveryQos | retainFlag &lt;&lt; 2, identifierCount, identifier*, message
 * session       = version, authenticationName, expirySeconds, disconnectedAtMillis, hasWill,
 *                 [willDelaySeconds, message]
 * subscription  = version, qos | noLocal &lt;&lt; 2 | retainAsPublished &lt;&lt; 3 | retainHandling &lt;&lt; 4,
 *                 subscriptionIdentifier
 * inflight      = version, sequence, released
 * inbound QoS 2 = version
 * </pre>
 *
 * Stateless; the encoder of queued messages keeps the last message it encoded per thread, since one
 * routed message is stored for every persistent session it reaches.
 */
final class RecordCodec {
    static final int VERSION = 1;

    private static final int HAS_FORMAT_INDICATOR = 1 << 3;
    private static final int HAS_EXPIRY = 1 << 4;
    private static final int HAS_RESPONSE_TOPIC = 1 << 5;
    private static final int HAS_CORRELATION_DATA = 1 << 6;
    private static final int HAS_CONTENT_TYPE = 1 << 7;

    private static final ThreadLocal<Object[]> LAST_ENCODED = ThreadLocal.withInitial(() -> new Object[2]);

    private RecordCodec() {
    }

    // ---------------------------------------------------------------- messages

    static byte[] encodeMessage(Message message) {
        RecordBuffer out = new RecordBuffer(64 + message.payload().length + message.topic().length() * 2);
        writeMessage(out, message);
        return out.toByteArray();
    }

    private static void writeMessage(RecordBuffer out, Message message) {
        PublishProperties p = message.properties();
        int flags = message.qos() | (message.retain() ? 1 << 2 : 0)
                | (p.payloadFormatIndicator() != null ? HAS_FORMAT_INDICATOR : 0)
                | (p.messageExpiryInterval() != null ? HAS_EXPIRY : 0)
                | (p.responseTopic() != null ? HAS_RESPONSE_TOPIC : 0)
                | (p.correlationData() != null ? HAS_CORRELATION_DATA : 0)
                | (p.contentType() != null ? HAS_CONTENT_TYPE : 0);
        out.writeByte(VERSION).writeByte(flags).writeLong(message.receivedAtMillis())
                .writeString(message.topic()).writeString(message.publisherClientId());
        if (p.payloadFormatIndicator() != null) {
            out.writeByte(p.payloadFormatIndicator());
        }
        if (p.messageExpiryInterval() != null) {
            out.writeVarLong(p.messageExpiryInterval());
        }
        if (p.responseTopic() != null) {
            out.writeString(p.responseTopic());
        }
        if (p.correlationData() != null) {
            out.writeBytes(p.correlationData());
        }
        if (p.contentType() != null) {
            out.writeString(p.contentType());
        }
        out.writeVarLong(p.userProperties().size());
        for (UserProperty property : p.userProperties()) {
            out.writeString(property.name()).writeString(property.value());
        }
        out.writeBytes(message.payload());
    }

    static Message decodeMessage(byte[] value) {
        RecordBuffer in = new RecordBuffer(value);
        Message message = readMessage(in);
        in.expectEnd();
        return message;
    }

    private static Message readMessage(RecordBuffer in) {
        expectVersion(in, "message");
        int flags = in.readByte();
        int qos = flags & 3;
        if (qos == 3) {
            throw new RecordFormatException("QoS 3 in a stored message");
        }
        long receivedAt = in.readLong();
        String topic = in.readString();
        String publisher = in.readString();
        Integer formatIndicator = (flags & HAS_FORMAT_INDICATOR) != 0 ? in.readByte() : null;
        Long expiry = (flags & HAS_EXPIRY) != 0 ? in.readVarLong() : null;
        String responseTopic = (flags & HAS_RESPONSE_TOPIC) != 0 ? in.readString() : null;
        byte[] correlationData = (flags & HAS_CORRELATION_DATA) != 0 ? in.readBytes() : null;
        String contentType = (flags & HAS_CONTENT_TYPE) != 0 ? in.readString() : null;
        int userPropertyCount = in.readVarInt(1 << 20);
        List<UserProperty> userProperties = new ArrayList<>(Math.min(userPropertyCount, 64));
        for (int i = 0; i < userPropertyCount; i++) {
            userProperties.add(new UserProperty(in.readString(), in.readString()));
        }
        byte[] payload = in.readBytes();
        PublishProperties properties = new PublishProperties(formatIndicator, expiry, 0, responseTopic,
                correlationData, userProperties, List.of(), contentType);
        return new Message(topic, qos, (flags & 4) != 0, payload, properties, publisher, receivedAt);
    }

    // ---------------------------------------------------------------- queued messages

    static byte[] encodeQueued(QueuedMessage queued) {
        byte[] message = encodedMessageOnThisThread(queued.message());
        RecordBuffer out = new RecordBuffer(message.length + 8 + 5 * queued.subscriptionIdentifiers().size());
        out.writeByte(VERSION).writeByte(queued.qos() | (queued.retain() ? 1 << 2 : 0));
        out.writeVarLong(queued.subscriptionIdentifiers().size());
        for (int identifier : queued.subscriptionIdentifiers()) {
            out.writeVarLong(identifier);
        }
        out.writeRaw(message);
        return out.toByteArray();
    }

    /** The message's bytes, encoded once however many sessions store it on this thread in a row. */
    private static byte[] encodedMessageOnThisThread(Message message) {
        Object[] last = LAST_ENCODED.get();
        if (last[0] != message) {
            last[1] = encodeMessage(message);
            last[0] = message;
        }
        return (byte[]) last[1];
    }

    static QueuedMessage decodeQueued(byte[] value, long sequence) {
        RecordBuffer in = new RecordBuffer(value);
        expectVersion(in, "queued message");
        int flags = in.readByte();
        if ((flags & 3) == 3 || flags > 7) {
            throw new RecordFormatException("flags " + flags + " in a queued message");
        }
        int identifierCount = in.readVarInt(65_535);
        List<Integer> identifiers = new ArrayList<>(Math.min(identifierCount, 16));
        for (int i = 0; i < identifierCount; i++) {
            identifiers.add(in.readVarInt(268_435_455));
        }
        Message message = readMessage(in);
        in.expectEnd();
        return new QueuedMessage(message, flags & 3, (flags & 4) != 0, identifiers, sequence);
    }

    // ---------------------------------------------------------------- sessions

    static byte[] encodeSession(StoredSession session) {
        RecordBuffer out = new RecordBuffer(64);
        out.writeByte(VERSION).writeString(session.authenticationName()).writeVarLong(session.expirySeconds())
                .writeLong(session.disconnectedAtMillis()).writeByte(session.will() != null ? 1 : 0);
        if (session.will() != null) {
            out.writeVarLong(session.willDelaySeconds());
            writeMessage(out, session.will());
        }
        return out.toByteArray();
    }

    static StoredSession decodeSession(byte[] value) {
        RecordBuffer in = new RecordBuffer(value);
        expectVersion(in, "session");
        String authenticationName = in.readString();
        long expiry = in.readVarLong();
        long disconnectedAt = in.readLong();
        int hasWill = in.readByte();
        if (hasWill > 1) {
            throw new RecordFormatException("will flag " + hasWill);
        }
        long willDelay = 0;
        Message will = null;
        if (hasWill == 1) {
            willDelay = in.readVarLong();
            will = readMessage(in);
        }
        in.expectEnd();
        return new StoredSession(authenticationName, expiry, disconnectedAt, will, willDelay);
    }

    static byte[] encodeSubscription(SubscriptionOptions options) {
        int flags = options.qos() | (options.noLocal() ? 1 << 2 : 0) | (options.retainAsPublished() ? 1 << 3 : 0)
                | options.retainHandling() << 4;
        return new RecordBuffer(8).writeByte(VERSION).writeByte(flags)
                .writeVarLong(options.subscriptionIdentifier()).toByteArray();
    }

    static SubscriptionOptions decodeSubscription(byte[] value) {
        RecordBuffer in = new RecordBuffer(value);
        expectVersion(in, "subscription");
        int flags = in.readByte();
        int identifier = in.readVarInt(268_435_455);
        in.expectEnd();
        if ((flags & 3) == 3 || (flags >> 4) > 2) {
            throw new RecordFormatException("flags " + flags + " in a subscription");
        }
        return new SubscriptionOptions(flags & 3, (flags & 4) != 0, (flags & 8) != 0, flags >> 4, identifier);
    }

    /** An outbound packet id in flight: the key of its queued message and whether PUBREC arrived. */
    record Inflight(long sequence, boolean released) {
    }

    static byte[] encodeInflight(long sequence, boolean released) {
        return new RecordBuffer(10).writeByte(VERSION).writeLong(sequence).writeByte(released ? 1 : 0).toByteArray();
    }

    static Inflight decodeInflight(byte[] value) {
        RecordBuffer in = new RecordBuffer(value);
        expectVersion(in, "in-flight packet id");
        long sequence = in.readLong();
        int released = in.readByte();
        in.expectEnd();
        if (released > 1 || sequence < 1) {
            throw new RecordFormatException("in-flight record out of range");
        }
        return new Inflight(sequence, released == 1);
    }

    static byte[] encodeInboundQos2() {
        return new byte[]{VERSION};
    }

    static void decodeInboundQos2(byte[] value) {
        RecordBuffer in = new RecordBuffer(value);
        expectVersion(in, "inbound QoS 2 packet id");
        in.expectEnd();
    }

    private static void expectVersion(RecordBuffer in, String what) {
        int version = in.readByte();
        if (version != VERSION) {
            throw new RecordFormatException(what + " record has format version " + version + ", this broker reads "
                    + VERSION);
        }
    }
}
