package io.portcullis.persistence;

import io.portcullis.session.PublisherThrottle;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The store's single writer thread. Event loops submit tasks without blocking; the thread takes every
 * task waiting (up to {@value #MAXIMUM_BATCH} at a time), applies the writes among them as one
 * {@link WriteBatch} (group commit, synced or not as configured) and then hands each completion back to
 * the executor its submitter named, in submission order. A read runs after the writes submitted before
 * it are committed, so it sees them.
 *
 * <p>The queue is bounded by back-pressure rather than by refusing work (a refused write would break the
 * order sessions rely on): above {@value #HIGH_WATER} waiting tasks, each publisher that submits one is
 * paused (its connection stops reading) until the queue is back under {@value #LOW_WATER}. A publisher
 * can overshoot by what it had already read, never by more.
 */
final class StoreWriter {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    static final int MAXIMUM_BATCH = 4096;
    static final int HIGH_WATER = 20_000;
    static final int LOW_WATER = 5_000;
    private static final ThreadLocal<long[]> SUBMITTED = ThreadLocal.withInitial(() -> new long[1]);

    private final RocksDB db;
    private final WriteOptions options;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Set<PublisherThrottle> paused = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    StoreWriter(RocksDB db, WriteOptions options) {
        this.db = db;
        this.options = options;
        this.thread = new Thread(this::run, "portcullis-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** One unit of work for the writer thread. */
    abstract static class Task {
        /** Adds its writes to the batch; a read does nothing here. */
        void apply(WriteBatch batch) throws RocksDBException {
        }

        /** Runs after the batch holding its writes was committed, with the failure if it was not. */
        void committed(Throwable failure) {
        }

        boolean isRead() {
            return false;
        }

        /** A read: runs on the writer thread once earlier writes are committed. */
        void read(RocksDB database) {
        }
    }

    /** A write of one key. */
    static Task put(ColumnFamilyHandle family, byte[] key, byte[] value) {
        return new Task() {
            @Override
            void apply(WriteBatch batch) throws RocksDBException {
                batch.put(family, key, value);
            }
        };
    }

    static Task delete(ColumnFamilyHandle family, byte[] key) {
        return new Task() {
            @Override
            void apply(WriteBatch batch) throws RocksDBException {
                batch.delete(family, key);
            }
        };
    }

    /** Deletes the keys from {@code from} (inclusive) to {@code to} (exclusive) in each family. */
    static Task deleteRange(List<ColumnFamilyHandle> families, byte[] from, byte[] to) {
        return new Task() {
            @Override
            void apply(WriteBatch batch) throws RocksDBException {
                for (ColumnFamilyHandle family : families) {
                    batch.deleteRange(family, from, to);
                }
            }
        };
    }

    /** Submits a write; counts it for {@link #submittedOnThisThread()}. Any thread; never blocks. */
    void write(Task task) {
        SUBMITTED.get()[0]++;
        submit(task);
    }

    /** Submits a read. Any thread; never blocks. */
    void read(Consumer<RocksDB> reader) {
        submit(new Task() {
            @Override
            boolean isRead() {
                return true;
            }

            @Override
            void read(RocksDB database) {
                reader.accept(database);
            }
        });
    }

    long submittedOnThisThread() {
        return SUBMITTED.get()[0];
    }

    /** Runs {@code onDurable} on {@code executor} once everything submitted before is committed. */
    void whenDurable(Executor executor, Runnable onDurable, Consumer<Throwable> onFailure) {
        Task barrier = new Task() {
            @Override
            void committed(Throwable failure) {
                hand(executor, failure == null ? onDurable : () -> onFailure.accept(failure));
            }
        };
        if (!submit(barrier)) {
            hand(executor, () -> onFailure.accept(new IllegalStateException("the store is closed")));
        }
    }

    private static void hand(Executor executor, Runnable completion) {
        try {
            executor.execute(completion);
        } catch (RejectedExecutionException e) {
            // The loop is shutting down with its connection; nobody is left to acknowledge.
            LOG.debug("Store completion dropped: loop shut down");
        }
    }

    private boolean submit(Task task) {
        if (!accepting) {
            LOG.debug("Store task dropped: the store is closed");
            return false;
        }
        waiting.incrementAndGet();
        queue.add(task);
        return true;
    }

    /** Pauses {@code publisher} while the queue is past its high-water mark. */
    void throttle(PublisherThrottle publisher) {
        if (waiting.get() > HIGH_WATER && paused.add(publisher)) {
            publisher.pause(this);
            // The queue may have drained between the check and the add.
            resumeIfDrained();
        }
    }

    private void resumeIfDrained() {
        if (waiting.get() < LOW_WATER && !paused.isEmpty()) {
            for (PublisherThrottle publisher : List.copyOf(paused)) {
                if (paused.remove(publisher)) {
                    publisher.resume(this);
                }
            }
        }
    }

    int waiting() {
        return waiting.get();
    }

    private void run() {
        List<Task> tasks = new ArrayList<>();
        try (WriteBatch batch = new WriteBatch()) {
            while (true) {
                Task first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    resumeIfDrained();
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                tasks.add(first);
                queue.drainTo(tasks, MAXIMUM_BATCH - 1);
                process(tasks, batch);
                waiting.addAndGet(-tasks.size());
                tasks.clear();
                resumeIfDrained();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Store writer failed; nothing more is stored", e);
            accepting = false;
        }
    }

    private void process(List<Task> tasks, WriteBatch batch) {
        List<Task> awaiting = new ArrayList<>(tasks.size());
        for (Task task : tasks) {
            if (task.isRead()) {
                commit(batch, awaiting);
                runRead(task);
                continue;
            }
            try {
                task.apply(batch);
            } catch (RocksDBException e) {
                LOG.error("Store write could not be prepared: status={}", e.getStatus(), e);
            }
            awaiting.add(task);
        }
        commit(batch, awaiting);
    }

    private void runRead(Task task) {
        try {
            task.read(db);
        } catch (RuntimeException e) {
            LOG.error("Store read failed", e);
        }
    }

    private void commit(WriteBatch batch, List<Task> awaiting) {
        if (awaiting.isEmpty()) {
            return;
        }
        Throwable failure = null;
        try {
            if (batch.count() > 0) {
                db.write(options, batch);
            }
        } catch (RocksDBException e) {
            failure = e;
            LOG.error("Store write failed; acknowledgements are withheld: tasks={} status={}", awaiting.size(),
                    e.getStatus(), e);
        } finally {
            try {
                batch.clear();
            } catch (RuntimeException e) {
                LOG.error("Write batch could not be cleared", e);
            }
        }
        for (Task task : awaiting) {
            task.committed(failure);
        }
        awaiting.clear();
    }

    /** Stops taking tasks, writes everything already submitted and ends the thread. */
    void close() {
        accepting = false;
        stopping = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("Store writer did not finish within 30 s: waiting={}", waiting.get());
            return;
        }
        // A task added between a submitter's check and the thread's last look is written here.
        List<Task> left = new ArrayList<>();
        queue.drainTo(left);
        if (!left.isEmpty()) {
            try (WriteBatch batch = new WriteBatch()) {
                process(left, batch);
            }
        }
    }
}
