package io.portcullis.session;

import io.portcullis.config.MqttSettings.QueueOverflowPolicy;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A session's messages not yet sent, bounded by count and bytes. Publishers' threads {@link #offer}
 * into a lock-free inbox, in the order they route, and the session's owner loop moves them to the
 * pending deque it sends from; the counters span both so the bound holds across threads. Two
 * publishers racing past the bound can overshoot it by one message each, never more.
 *
 * <p>With a durable store the queue has a disk segment behind the pending deque: stored messages that
 * are only on disk, known by count, bytes and the key of the oldest, so an offline session holds no
 * message in memory however many wait for it. Stored messages get their key ({@link
 * QueuedMessage#sequence()}) under a per-queue lock together with their place in the inbox, so key
 * order is queue order; while the disk segment is not empty, stored messages taken from the inbox join
 * it rather than the pending deque, and the owner loads pages from it when the deque runs dry.
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

    /** Guards {@link #nextSequence} and {@link #closed}, and the order stored messages enter the inbox. */
    private final Object sequenceLock = new Object();
    private long nextSequence = 1;
    private boolean closed;

    // The disk segment; owner loop only.
    private int diskCount;
    private long diskBytes;
    private long diskFirstSequence;

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
        END_SESSION,
        /** Not admitted: the session ended. */
        CLOSED
    }

    /** Any thread: {@link #offer(QueuedMessage, boolean, QueueOverflowPolicy, Consumer)} of a message not stored. */
    Admission offer(QueuedMessage message, boolean tolerateFull, QueueOverflowPolicy policy) {
        return offer(message, tolerateFull, policy, null);
    }

    /**
     * Any thread. {@code tolerateFull} admits a message into a full queue up to twice the limits: a
     * connected subscriber in its grace period, whose publishers are paused but may still hand over
     * what they had already read. A non-null {@code store} gets the message with its key before it
     * enters the inbox.
     */
    Admission offer(QueuedMessage message, boolean tolerateFull, QueueOverflowPolicy policy,
                    Consumer<QueuedMessage> store) {
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
        if (store == null) {
            count.incrementAndGet();
            bytes.addAndGet(size);
            inbox.add(message);
            return admission;
        }
        synchronized (sequenceLock) {
            if (closed) {
                // The session's stored state is being removed; a write now would outlive it.
                return Admission.CLOSED;
            }
            QueuedMessage stored = message.withSequence(nextSequence++);
            count.incrementAndGet();
            bytes.addAndGet(size);
            store.accept(stored);
            inbox.add(stored);
        }
        return admission;
    }

    /** Owner loop: moves what publishers offered behind what is already queued, keeping their order. */
    void takeInbox() {
        QueuedMessage message;
        while ((message = inbox.poll()) != null) {
            if (diskCount > 0 && message.isStored()) {
                addToDisk(message);
            } else {
                pending.addLast(message);
            }
        }
    }

    private void addToDisk(QueuedMessage message) {
        if (diskCount == 0) {
            diskFirstSequence = message.sequence();
        }
        diskCount++;
        diskBytes += message.sizeInBytes();
    }

    /**
     * Owner loop: lets go of the messages in memory so they are only on disk, when every one of them is
     * stored (always so for an offline session: it keeps no QoS 0). The pending deque is older than the
     * disk segment, so it becomes the segment's front.
     */
    void spill() {
        takeInbox();
        for (QueuedMessage message : pending) {
            if (!message.isStored()) {
                return;
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        int segmentCount = diskCount;
        long segmentBytes = diskBytes;
        diskCount = 0;
        diskBytes = 0;
        while (!pending.isEmpty()) {
            addToDisk(pending.pollFirst());
        }
        diskCount += segmentCount;
        diskBytes += segmentBytes;
    }

    /**
     * Recovery: the queue holds {@code queuedCount} stored messages on disk from {@code firstSequence} on;
     * new ones get keys from {@code next}.
     */
    void restore(int queuedCount, long queuedBytes, long firstSequence, long next) {
        synchronized (sequenceLock) {
            nextSequence = next;
        }
        diskCount = queuedCount;
        diskBytes = queuedBytes;
        diskFirstSequence = firstSequence;
        count.addAndGet(queuedCount);
        bytes.addAndGet(queuedBytes);
    }

    /** Whether the next message to send must be read from disk first. Owner loop. */
    boolean isHeadOnDisk() {
        return pending.isEmpty() && diskCount > 0;
    }

    int diskCount() {
        return diskCount;
    }

    long diskFirstSequence() {
        return diskFirstSequence;
    }

    /**
     * Owner loop: a page read from the front of the disk segment joins the pending deque. An empty page
     * while messages were expected means they cannot be read: they are let go of. Returns how many.
     */
    int loaded(List<QueuedMessage> page) {
        if (diskCount == 0) {
            // The segment was trimmed or cleared while the page was read.
            return 0;
        }
        if (page.isEmpty()) {
            int lost = diskCount;
            count.addAndGet(-diskCount);
            bytes.addAndGet(-diskBytes);
            diskCount = 0;
            diskBytes = 0;
            return lost;
        }
        for (QueuedMessage message : page) {
            if (message.sequence() < diskFirstSequence || diskCount == 0) {
                continue;
            }
            pending.addLast(message);
            diskCount--;
            diskBytes -= message.sizeInBytes();
            diskFirstSequence = message.sequence() + 1;
        }
        if (diskCount == 0) {
            diskBytes = 0;
        }
        return 0;
    }

    /** Owner loop: the store deleted the oldest {@code trimmed} messages of the disk segment. */
    void trimmedOnDisk(SessionJournal.Trimmed trimmed) {
        int dropped = Math.min(trimmed.count(), diskCount);
        diskCount -= dropped;
        diskBytes -= trimmed.bytes();
        count.addAndGet(-dropped);
        bytes.addAndGet(-trimmed.bytes());
        diskFirstSequence = trimmed.nextSequence();
        if (diskCount == 0) {
            diskBytes = 0;
        }
    }

    /** How many messages and bytes the queue is over its limits by; zero when within them. */
    int countOverLimit() {
        return Math.max(0, count.get() - maximumCount);
    }

    long bytesOverLimit() {
        return Math.max(0, bytes.get() - maximumBytes);
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

    /** Owner loop: drops messages in memory until both limits hold again; returns how many. */
    int trimToLimits(boolean oldestFirst) {
        return trimToLimits(oldestFirst, dropped -> {
        });
    }

    /**
     * Owner loop: drops messages in memory until both limits hold again, oldest first or newest first, and
     * hands each to {@code dropped}. Returns how many it dropped.
     */
    int trimToLimits(boolean oldestFirst, Consumer<QueuedMessage> dropped) {
        takeInbox();
        int count = 0;
        while (!pending.isEmpty() && isOverLimit()) {
            QueuedMessage message = oldestFirst ? pending.pollFirst() : pending.pollLast();
            release(message);
            dropped.accept(message);
            count++;
        }
        return count;
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

    /** Owner loop: empties the queue, disk segment included, and takes no more stored messages. */
    int clear() {
        synchronized (sequenceLock) {
            closed = true;
        }
        takeInbox();
        int removed = pending.size() + diskCount;
        while (!pending.isEmpty()) {
            release(pending.pollFirst());
        }
        count.addAndGet(-diskCount);
        bytes.addAndGet(-diskBytes);
        diskCount = 0;
        diskBytes = 0;
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

    /** Owner loop: whether nothing is pending in memory or on disk (the inbox may still receive). */
    boolean isPendingEmpty() {
        return pending.isEmpty() && diskCount == 0;
    }

    /** Owner loop: messages held in memory (the pending deque), for tests of the memory bound. */
    int inMemory() {
        return pending.size();
    }
}
