package io.portcullis.session;

import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * A session's queue as far as it lives in the durable store: reads the next page of the disk segment,
 * trims the oldest messages there, and removes messages that will not be sent. At most one read or trim
 * is with the store at a time; its completion comes back on the session's owner loop and drains the
 * session again. Confined to the owner loop.
 */
final class StoredQueue {
    private static final Logger LOG = LoggerFactory.getLogger(StoredQueue.class);
    private static final LogRateLimiter LOST_LOG = new LogRateLimiter(5, 60_000);

    private final String clientId;
    private final OutboundQueue queue;
    private final SessionJournal journal;
    private final Executor owner;
    private final Runnable drain;
    private final IntConsumer droppedQueueFull;
    private final BooleanSupplier ended;
    private boolean busy;

    /**
     * @param owner            runs completions on the session's owner loop, wherever it is by then
     * @param drain            the session's drain, run after each completion
     * @param droppedQueueFull counts messages the overflow policy dropped
     * @param ended            whether the session ended meanwhile; completions then do nothing
     */
    StoredQueue(String clientId, OutboundQueue queue, SessionJournal journal, Executor owner, Runnable drain,
                IntConsumer droppedQueueFull, BooleanSupplier ended) {
        this.clientId = clientId;
        this.queue = queue;
        this.journal = journal;
        this.owner = owner;
        this.drain = drain;
        this.droppedQueueFull = droppedQueueFull;
        this.ended = ended;
    }

    /** Whether a read or trim is with the store. */
    boolean isBusy() {
        return busy;
    }

    /** Removes a message that will not be sent (expired, too large, dropped) from the store. */
    void discard(QueuedMessage message) {
        if (message.isStored()) {
            journal.removeQueued(clientId, message.sequence());
        }
    }

    /** Reads the next page of the disk segment into memory, unless the store is busy with this queue. */
    void loadPage() {
        if (busy) {
            return;
        }
        busy = true;
        int count = Math.min(queue.diskCount(), Session.PAGE_SIZE);
        journal.loadQueued(clientId, queue.diskFirstSequence(), count, owner, this::pageLoaded);
    }

    private void pageLoaded(List<QueuedMessage> page) {
        busy = false;
        if (ended.getAsBoolean()) {
            return;
        }
        int lost = queue.loaded(page);
        if (lost > 0 && LOST_LOG.tryAcquire(System.currentTimeMillis()) >= 0) {
            LOG.error("Queued messages could not be read from the store: clientId={} count={}",
                    LogText.token(clientId), lost);
        }
        drain.run();
    }

    /**
     * Drops the oldest messages until the queue is within its limits: those in memory first, then those on
     * disk, through the store. Returns false, doing nothing, while the store is busy with this queue.
     */
    boolean trimOldest() {
        if (busy) {
            return false;
        }
        droppedQueueFull.accept(queue.trimToLimits(true, this::discard));
        if (!queue.isOverLimit() || queue.diskCount() == 0) {
            return true;
        }
        busy = true;
        journal.trimQueued(clientId, queue.diskFirstSequence(), queue.diskCount(), queue.countOverLimit(),
                queue.bytesOverLimit(), owner, this::trimmedOnDisk);
        return true;
    }

    private void trimmedOnDisk(SessionJournal.Trimmed trimmed) {
        busy = false;
        if (ended.getAsBoolean()) {
            return;
        }
        queue.trimmedOnDisk(trimmed);
        droppedQueueFull.accept(trimmed.count());
        drain.run();
    }
}
