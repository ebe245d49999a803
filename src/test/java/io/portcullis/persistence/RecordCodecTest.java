package io.portcullis.persistence;

import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.UserProperty;
import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.QueuedMessage;
import io.portcullis.session.StoredSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCodecTest {
    static final PublishProperties ALL_PROPERTIES = new PublishProperties(1, 3600L, 0, "reply/to",
            new byte[]{9, 8, 7}, List.of(new UserProperty("k", "v"), new UserProperty("k", "w")), List.of(),
            "text/plain");

    static Message message(String topic, PublishProperties properties) {
        return new Message(topic, 2, true, "ünïcode payload".getBytes(StandardCharsets.UTF_8), properties, "pub-1",
                1_700_000_000_123L);
    }

    @Test
    void messagesRoundTripWithEveryProperty() {
        Message original = message("a/b/ü", ALL_PROPERTIES);

        Message decoded = RecordCodec.decodeMessage(RecordCodec.encodeMessage(original));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(original);
    }

    @Test
    void messagesRoundTripWithoutProperties() {
        Message original = new Message("t", 0, false, new byte[0], PublishProperties.NONE, "", 0);

        assertThat(RecordCodec.decodeMessage(RecordCodec.encodeMessage(original)))
                .usingRecursiveComparison().isEqualTo(original);
    }

    @Test
    void queuedMessagesKeepDeliveryQosFlagsIdentifiersAndKey() {
        QueuedMessage original = new QueuedMessage(message("x", ALL_PROPERTIES), 1, true, List.of(3, 268_435_455));
        QueuedMessage stored = new QueuedMessage(original.message(), 1, true, List.of(3, 268_435_455), 77);

        QueuedMessage decoded = RecordCodec.decodeQueued(RecordCodec.encodeQueued(stored), 77);

        assertThat(decoded).usingRecursiveComparison().isEqualTo(stored);
    }

    @Test
    void sessionsRoundTripWithAndWithoutWill() {
        StoredSession withWill = new StoredSession("Alice", 4_294_967_295L, 1_700_000_000_000L,
                message("will/topic", ALL_PROPERTIES), 30);
        StoredSession connected = new StoredSession("bob", 60, -1, null, 0);

        assertThat(RecordCodec.decodeSession(RecordCodec.encodeSession(withWill)))
                .usingRecursiveComparison().isEqualTo(withWill);
        assertThat(RecordCodec.decodeSession(RecordCodec.encodeSession(connected))).isEqualTo(connected);
    }

    @ParameterizedTest
    @CsvSource({"0, false, false, 0, 0", "1, true, false, 1, 5", "2, false, true, 2, 268435455"})
    void subscriptionOptionsRoundTrip(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                                      int identifier) {
        SubscriptionOptions options = new SubscriptionOptions(qos, noLocal, retainAsPublished, retainHandling,
                identifier);

        assertThat(RecordCodec.decodeSubscription(RecordCodec.encodeSubscription(options))).isEqualTo(options);
    }

    @Test
    void inflightAndInboundRecordsRoundTrip() {
        assertThat(RecordCodec.decodeInflight(RecordCodec.encodeInflight(1L << 40, true)))
                .isEqualTo(new RecordCodec.Inflight(1L << 40, true));
        RecordCodec.decodeInboundQos2(RecordCodec.encodeInboundQos2());
    }

    @Test
    void refusesAnotherVersionTruncationAndTrailingBytes() {
        byte[] good = RecordCodec.encodeMessage(message("t", ALL_PROPERTIES));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);

        assertThatThrownBy(() -> RecordCodec.decodeMessage(otherVersion)).isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("format version 2");
        assertThatThrownBy(() -> RecordCodec.decodeMessage(truncated)).isInstanceOf(RecordFormatException.class);
        assertThatThrownBy(() -> RecordCodec.decodeMessage(trailing)).isInstanceOf(RecordFormatException.class);
    }

    @Test
    void messageKeysSortBySequenceAcrossByteBoundaries() {
        byte[] low = StoreKeys.message("c", 255);
        byte[] high = StoreKeys.message("c", 256);

        assertThat(java.util.Arrays.compareUnsigned(low, high)).isNegative();
        assertThat(StoreKeys.sequence(high)).isEqualTo(256);
        assertThat(StoreKeys.clientId(high)).isEqualTo("c");
    }
}
