package io.portcullis.session;

import io.portcullis.config.MqttSettings.QueueOverflowPolicy;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.routing.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundQueueTest {

    private static QueuedMessage message(int qos, int payloadBytes) {
        return new QueuedMessage(new Message("t", qos, false, new byte[payloadBytes], PublishProperties.NONE, "p", 0),
                qos, false, List.of());
    }

    @ParameterizedTest(name = "{0} tolerateFull={1}")
    @CsvSource({
            "DropNewest, false, REJECTED",
            "EndSession, false, END_SESSION",
            "DropOldest, false, ADMITTED_OVER_LIMIT",
            "DropNewest, true,  ADMITTED",
    })
    void decidesWhatAFullQueueDoesWithANewMessage(QueueOverflowPolicy policy, boolean tolerateFull,
                                                  OutboundQueue.Admission expected) {
        OutboundQueue queue = new OutboundQueue(2, 1 << 20);
        queue.offer(message(1, 1), false, policy);
        queue.offer(message(1, 1), false, policy);

        assertThat(queue.offer(message(1, 1), tolerateFull, policy)).isEqualTo(expected);
    }

    @Test
    void boundsBytesAsWellAsCount() {
        OutboundQueue queue = new OutboundQueue(100, 300);

        assertThat(queue.offer(message(1, 200), false, QueueOverflowPolicy.DropNewest))
                .isEqualTo(OutboundQueue.Admission.ADMITTED);
        assertThat(queue.offer(message(1, 200), false, QueueOverflowPolicy.DropNewest))
                .isEqualTo(OutboundQueue.Admission.REJECTED);
        assertThat(queue.sizeInBytes()).isEqualTo(200 + 1 + QueuedMessage.OVERHEAD_BYTES);
    }

    @Test
    void tracksWaterMarksAndTrimsBackUnderTheLimit() {
        OutboundQueue queue = new OutboundQueue(10, 1 << 20);
        for (int i = 0; i < 8; i++) {
            queue.offer(message(1, 1), false, QueueOverflowPolicy.DropOldest);
        }
        assertThat(queue.isAboveHighWater()).isFalse();
        for (int i = 0; i < 5; i++) {
            queue.offer(message(1, 1), true, QueueOverflowPolicy.DropOldest);
        }
        assertThat(queue.isAboveHighWater()).isTrue();

        assertThat(queue.trimToLimits(true)).isEqualTo(3);
        assertThat(queue.size()).isEqualTo(10);
        for (int i = 0; i < 5; i++) {
            queue.poll();
        }
        assertThat(queue.isBelowLowWater()).isTrue();
    }

    @Test
    void removesQos0MessagesOnly() {
        OutboundQueue queue = new OutboundQueue(10, 1 << 20);
        queue.offer(message(0, 1), false, QueueOverflowPolicy.DropOldest);
        queue.offer(message(1, 1), false, QueueOverflowPolicy.DropOldest);
        queue.offer(message(0, 1), false, QueueOverflowPolicy.DropOldest);

        assertThat(queue.removeQos0()).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.poll().qos()).isEqualTo(1);
    }
}
