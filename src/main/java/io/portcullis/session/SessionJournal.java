package io.portcullis.session;

import io.portcullis.routing.SubscriptionOptions;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What sessions tell the durable store, and the durability barrier the protocol acknowledges behind. The
 * seam between {@link Session} and the persistence package; {@link #MEMORY} keeps nothing.
 *
 * <p>Thread rule: every method may be called from any thread and never blocks. Writes are applied in
 * the order they were submitted, across threads, which is what lets a session submit a message's
 * removal from its own loop right after a publisher's thread submitted its insertion. Results of
 * reads are handed to the {@code Executor} given with the request.
 */
public interface SessionJournal {

    /** Keeps nothing: {@link #isDurable()} is false and {@link #whenDurable} runs its action at once. */
    SessionJournal MEMORY = new MemoryJournal();

    /** Whether writes reach a durable store. When false the write methods are never called. */
    boolean isDurable();

    /** Stores the session's own record (owner, expiry, disconnect time, delayed Will). */
    void saveSession(String clientId, StoredSession session);

    /** Removes everything stored for the session: record, subscriptions, packet ids and queue. */
    void removeSession(String clientId);

    void saveSubscription(String clientId, String filter, SubscriptionOptions options);

    void removeSubscription(String clientId, String filter);

    /** An inbound QoS 2 packet id received (PUBREC sent or about to be). */
    void saveInboundQos2(String clientId, int packetId);

    /** An inbound QoS 2 exchange completed by PUBREL. */
    void removeInboundQos2(String clientId, int packetId);

    /** Appends a message to the session's durable queue under {@link QueuedMessage#sequence()}. */
    void saveQueued(String clientId, QueuedMessage message);

    /** Removes a queued message that will not be sent (expired, too large, dropped by the overflow policy). */
    void removeQueued(String clientId, long sequence);

    /** Records that the queued message {@code sequence} was sent as {@code packetId}, PUBREC'd when released. */
    void saveInflight(String clientId, int packetId, long sequence, boolean released);

    /** Removes an in-flight packet id and its message: PUBACK, PUBCOMP or an error PUBREC ended the delivery. */
    void removeInflight(String clientId, int packetId, long sequence);

    /**
     * Reads up to {@code maximumCount} queued messages from {@code fromSequence} on, in queue order, and hands
     * them to {@code owner}. Sees every write submitted before it. An empty list means none could be read.
     */
    void loadQueued(String clientId, long fromSequence, int maximumCount, Executor owner,
                    Consumer<List<QueuedMessage>> loaded);

    /**
     * Deletes the oldest of the next {@code maximumCount} queued messages from {@code fromSequence} on, until at
     * least {@code minimumCount} messages and {@code minimumBytes} bytes are gone (or the {@code maximumCount}
     * are), and hands what it did to {@code owner}.
     */
    void trimQueued(String clientId, long fromSequence, int maximumCount, int minimumCount, long minimumBytes,
                    Executor owner, Consumer<Trimmed> trimmed);

    /** A counter of writes submitted from the calling thread; compare two readings to see if any were. */
    long submittedOnThisThread();

    /**
     * Runs {@code onDurable} on {@code executor} once every write submitted so far is durable, or
     * {@code onFailure} if the store failed to write. Completions run in the order they were asked for.
     */
    void whenDurable(Executor executor, Runnable onDurable, Consumer<Throwable> onFailure);

    /**
     * Called on a publisher's loop after it submitted writes: pauses {@code publisher} while the store's write
     * queue is past its high-water mark, and resumes it once the queue drains.
     */
    void throttle(PublisherThrottle publisher);

    /**
     * What {@link #trimQueued} did.
     *
     * @param count        messages deleted
     * @param bytes        their size as counted against the queue's byte limit
     * @param nextSequence the key to continue from: the oldest message left
     */
    record Trimmed(int count, long bytes, long nextSequence) {
    }

    /** The journal of memory mode. Stateless. */
    final class MemoryJournal implements SessionJournal {
        private MemoryJournal() {
        }

        @Override
        public boolean isDurable() {
            return false;
        }

        @Override
        public void saveSession(String clientId, StoredSession session) {
        }

        @Override
        public void removeSession(String clientId) {
        }

        @Override
        public void saveSubscription(String clientId, String filter, SubscriptionOptions options) {
        }

        @Override
        public void removeSubscription(String clientId, String filter) {
        }

        @Override
        public void saveInboundQos2(String clientId, int packetId) {
        }

        @Override
        public void removeInboundQos2(String clientId, int packetId) {
        }

        @Override
        public void saveQueued(String clientId, QueuedMessage message) {
        }

        @Override
        public void removeQueued(String clientId, long sequence) {
        }

        @Override
        public void saveInflight(String clientId, int packetId, long sequence, boolean released) {
        }

        @Override
        public void removeInflight(String clientId, int packetId, long sequence) {
        }

        @Override
        public void loadQueued(String clientId, long fromSequence, int maximumCount, Executor owner,
                               Consumer<List<QueuedMessage>> loaded) {
            owner.execute(() -> loaded.accept(List.of()));
        }

        @Override
        public void trimQueued(String clientId, long fromSequence, int maximumCount, int minimumCount,
                               long minimumBytes, Executor owner, Consumer<Trimmed> trimmed) {
            owner.execute(() -> trimmed.accept(new Trimmed(0, 0, fromSequence)));
        }

        @Override
        public long submittedOnThisThread() {
            return 0;
        }

        @Override
        public void whenDurable(Executor executor, Runnable onDurable, Consumer<Throwable> onFailure) {
            onDurable.run();
        }

        @Override
        public void throttle(PublisherThrottle publisher) {
        }
    }
}
