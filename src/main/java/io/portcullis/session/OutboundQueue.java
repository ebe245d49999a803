package io.portcullis.session;

import io.portcullis.config.MqttSettings.QueueOverflowPolicy;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's messages not yet sent, bounded by count and bytes. Publishers' threads {@link #offer}
 * into a lock-free inbox, in the order they route, and the session's owner loop moves them to the
 * pending deque it sends from; the counters span both so the bound holds across threads. Two
 * publishers racing past the bound can overshoot it by one message each, never more.
 *
 * <p>Water marks for back-pressure: above 80% of either limit the session pauses the publishers
 * feeding it, below 50% it resumes them.
 */
final class OutboundQueue {
    private final int maximumCount;
    private final long maximumBytes;
    private final ConcurrentLinkedQueue<QueuedMessage> inbox = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<QueuedMessage> pending = new ArrayDeque<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    OutboundQueue(int maximumCount, long maximumBytes) {
        this.maximumCount = maximumCount;
        this.maximumBytes = maximumBytes;
    }

    /** What {@link #offer} did. */
    enum Admission {
        ADMITTED,
        /** Admitted over the limit; the owner must drop the oldest to get back under it. */
        ADMITTED_OVER_LIMIT,
        /** Not admitted: the queue is full and the policy drops the new message. */
        REJECTED,
        /** Not admitted: the queue is full and the policy ends the session. */
        END_SESSION
    }

    /**
     * Any thread. {@code tolerateFull} admits a message into a full queue up to twice the limits: a
     * connected subscriber in its grace period, whose publishers are paused but may still hand over
     * what they had already read.
     */
    Admission offer(QueuedMessage message, boolean tolerateFull, QueueOverflowPolicy policy) {
        long size = message.sizeInBytes();
        int countNow = count.get();
        long bytesNow = bytes.get();
        boolean fits = countNow < maximumCount && bytesNow + size <= maximumBytes;
        boolean tolerated = tolerateFull && countNow < 2 * maximumCount && bytesNow + size <= 2 * maximumBytes;
        Admission admission = Admission.ADMITTED;
        if (!fits && !tolerated) {
            switch (policy) {
                case DropNewest -> {
                    return Admission.REJECTED;
                }
                case EndSession -> {
                    return Admission.END_SESSION;
                }
                case DropOldest -> admission = Admission.ADMITTED_OVER_LIMIT;
            }
        }
        count.incrementAndGet();
        bytes.addAndGet(size);
        inbox.add(message);
        return admission;
    }

    /** Owner loop: moves what publishers offered behind what is already pending, keeping their order. */
    void takeInbox() {
        QueuedMessage message;
        while ((message = inbox.poll()) != null) {
            pending.addLast(message);
        }
    }

    QueuedMessage peek() {
        return pending.peekFirst();
    }

    /** Owner loop: removes the head, which is about to be sent. */
    QueuedMessage poll() {
        QueuedMessage message = pending.pollFirst();
        if (message != null) {
            release(message);
        }
        return message;
    }

    /**
     * Owner loop: drops messages until both limits hold again, oldest first or newest first. Returns
     * how many it dropped.
     */
    int trimToLimits(boolean oldestFirst) {
        takeInbox();
        int dropped = 0;
        while (!pending.isEmpty() && isOverLimit()) {
            release(oldestFirst ? pending.pollFirst() : pending.pollLast());
            dropped++;
        }
        return dropped;
    }

    /** Owner loop: discards QoS 0 messages, which are not kept for a session without a connection. */
    int removeQos0() {
        takeInbox();
        int removed = 0;
        Iterator<QueuedMessage> it = pending.iterator();
        while (it.hasNext()) {
            QueuedMessage message = it.next();
            if (message.qos() == 0) {
                it.remove();
                release(message);
                removed++;
            }
        }
        return removed;
    }

    /** Owner loop: empties the queue; returns how many messages it held. */
    int clear() {
        takeInbox();
        int removed = pending.size();
        while (!pending.isEmpty()) {
            release(pending.pollFirst());
        }
        return removed;
    }

    private void release(QueuedMessage message) {
        count.decrementAndGet();
        bytes.addAndGet(-message.sizeInBytes());
    }

    boolean isOverLimit() {
        return count.get() > maximumCount || bytes.get() > maximumBytes;
    }

    boolean isAboveHighWater() {
        return count.get() * 5L > maximumCount * 4L || bytes.get() * 5 > maximumBytes * 4;
    }

    boolean isBelowLowWater() {
        return count.get() * 2L <= maximumCount && bytes.get() * 2 <= maximumBytes;
    }

    int size() {
        return count.get();
    }

    long sizeInBytes() {
        return bytes.get();
    }

    /** Owner loop: whether nothing is pending (the inbox may still receive). */
    boolean isPendingEmpty() {
        return pending.isEmpty();
    }
}
