package io.portcullis.persistence;

import io.portcullis.logging.LogText;
import io.portcullis.routing.Message;
import io.portcullis.routing.RetainedJournal;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.PublisherThrottle;
import io.portcullis.session.QueuedMessage;
import io.portcullis.session.SessionJournal;
import io.portcullis.session.StoredSession;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The durable store: an embedded RocksDB database in the data directory holding persistent sessions and
 * retained messages. It is the {@link SessionJournal} of every session and the {@link RetainedJournal} of
 * the retained store; every write goes through one {@link StoreWriter} thread, so no event loop ever
 * waits for the disk.
 *
 * <p>Layout, one column family per kind of record (values in {@link RecordCodec}, keys in {@link StoreKeys};
 * {@code P(c)} is the session prefix: 2-byte UTF-8 length of ClientId {@code c}, then its bytes):
 * <pre>
 * default    "portcullis.store.format"         -> format version (1 byte)
 * sessions   P(c) 0x01                          -> session record (owner, expiry, disconnect time, delayed Will)
 *            P(c) 0x02 filter                   -> subscription options
 *            P(c) 0x03 packetId (2 bytes)       -> inbound QoS 2 packet id awaiting PUBREL
 *            P(c) 0x04 packetId (2 bytes)       -> outbound packet id in flight: message key, PUBREC received
 * messages   P(c) sequence (8 bytes)            -> queued message (delivery QoS, flags, the message)
 * retained   topic (UTF-8)                      -> retained message
 * registry   resource key (UTF-8, for example "clients/pump-7") -> a resource made through the admin API
 *            (its encoding belongs to the admin package; the store keeps bytes)
 * </pre>
 * A session's messages stay under their key from queuing until the client acknowledges them; an in-flight
 * record points at the one that was sent. Ending a session is a range delete of {@code P(c)} in both
 * session families.
 *
 * <p>Opening refuses, with a {@link StoreException} naming the directory, a store it cannot read: a RocksDB
 * error, a directory that holds other files, another format version, or a record it cannot decode. It never
 * starts empty over existing data. Thread-safe.
 */
public final class RocksDbStore implements SessionJournal, RetainedJournal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStore.class);
    /** The configuration key that names the store's directory; problems with the directory name it. */
    private static final String DATA_DIRECTORY = "storage.dataDirectory";
    private static final String WRITABLE_FIX = "let the broker's user create, read and write it, or point "
            + DATA_DIRECTORY + " at a directory it may write";
    static final byte[] FORMAT_KEY = "portcullis.store.format".getBytes(StandardCharsets.UTF_8);
    static final int FORMAT = 1;
    static final String SESSIONS = "sessions";
    static final String MESSAGES = "messages";
    static final String RETAINED = "retained";
    static final String REGISTRY = "registry";
    private static final long REGISTRY_WRITE_TIMEOUT_SECONDS = 30;
    private static final List<String> FAMILIES = List.of(SESSIONS, MESSAGES, RETAINED, REGISTRY);

    private final Path directory;
    private final Clock clock;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle sessions;
    private final ColumnFamilyHandle messages;
    private final ColumnFamilyHandle retained;
    private final ColumnFamilyHandle registry;
    private final List<ColumnFamilyHandle> sessionFamilies;
    private final StoreWriter writer;
    private boolean closed;

    private RocksDbStore(Path directory, Clock clock, DBOptions dbOptions, ColumnFamilyOptions familyOptions,
                         WriteOptions writeOptions, RocksDB db, List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.clock = clock;
        this.dbOptions = dbOptions;
        this.familyOptions = familyOptions;
        this.writeOptions = writeOptions;
        this.db = db;
        this.handles = handles;
        this.sessions = handles.get(1);
        this.messages = handles.get(2);
        this.retained = handles.get(3);
        this.registry = handles.get(4);
        this.sessionFamilies = List.of(sessions, messages);
        this.writer = new StoreWriter(db, writeOptions);
    }

    /**
     * Opens the store in {@code directory}, creating it when the directory is missing or empty.
     *
     * @param sync whether each write batch is synced to disk (survives power loss) or left to the OS
     * @throws StoreException when an existing store cannot be opened or is not a Portcullis store
     */
    public static RocksDbStore open(Path directory, boolean sync, Clock clock) throws StoreException {
        Path absolute = directory.toAbsolutePath().normalize();
        boolean exists = prepareDirectory(absolute);
        RocksDB.loadLibrary();
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(!exists).setCreateMissingColumnFamilies(!exists)
                .setParanoidChecks(true);
        ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
        WriteOptions writeOptions = new WriteOptions().setSync(sync);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
        for (String family : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(family.getBytes(StandardCharsets.UTF_8), familyOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        try {
            if (exists) {
                checkFamilies(absolute);
            }
            db = RocksDB.open(dbOptions, absolute.toString(), descriptors, handles);
            checkFormat(db, absolute, exists);
        } catch (RocksDBException | StoreException e) {
            handles.forEach(ColumnFamilyHandle::close);
            if (db != null) {
                db.close();
            }
            writeOptions.close();
            familyOptions.close();
            dbOptions.close();
            if (e instanceof StoreException store) {
                throw store;
            }
            throw unreadable(absolute, "RocksDB reports: " + e.getMessage(), e);
        }
        LOG.info("Store opened: directory={} sync={} created={}", absolute, sync, !exists);
        return new RocksDbStore(absolute, clock, dbOptions, familyOptions, writeOptions, db, handles);
    }

    /** Creates the directory if needed; returns whether it already holds a store. */
    private static boolean prepareDirectory(Path directory) throws StoreException {
        try {
            Files.createDirectories(directory);
            if (!Files.isWritable(directory)) {
                throw StoreException.ofSetting(DATA_DIRECTORY, directory + " is a directory the broker's user"
                        + " may not write", WRITABLE_FIX, null);
            }
            if (Files.exists(directory.resolve("CURRENT"))) {
                return true;
            }
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new StoreException("The data directory " + directory + " holds files but no store (no"
                            + " CURRENT file). Portcullis does not create a store over other data: point"
                            + " storage.dataDirectory at an empty or new directory, or restore the store from a"
                            + " backup.");
                }
            }
            return false;
        } catch (FileAlreadyExistsException e) {
            throw StoreException.ofSetting(DATA_DIRECTORY, directory + " is a file, not a directory",
                    "point " + DATA_DIRECTORY + " at a directory (a missing one is created), or move the file away",
                    e);
        } catch (IOException e) {
            String reason = e instanceof FileSystemException system && system.getReason() != null
                    ? system.getReason() : "the file system refused";
            throw StoreException.ofSetting(DATA_DIRECTORY, directory + " cannot be created or read (" + reason
                    + ")", WRITABLE_FIX, e);
        }
    }

    private static void checkFamilies(Path directory) throws RocksDBException, StoreException {
        List<byte[]> present;
        try (Options options = new Options()) {
            present = RocksDB.listColumnFamilies(options, directory.toString());
        }
        Set<String> names = new HashSet<>();
        for (byte[] name : present) {
            names.add(new String(name, StandardCharsets.UTF_8));
        }
        Set<String> expected = new HashSet<>(FAMILIES);
        expected.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        if (!names.equals(expected)) {
            throw unreadable(directory, "its column families are " + names + ", this broker expects " + expected,
                    null);
        }
    }

    private static void checkFormat(RocksDB db, Path directory, boolean exists)
            throws RocksDBException, StoreException {
        byte[] format = db.get(FORMAT_KEY);
        if (format == null && !exists) {
            try (WriteOptions synced = new WriteOptions().setSync(true)) {
                db.put(synced, FORMAT_KEY, new byte[]{FORMAT});
            }
            return;
        }
        if (format == null || format.length != 1 || format[0] != FORMAT) {
            throw unreadable(directory, "its format marker is " + (format == null ? "missing" : Arrays.toString(format))
                    + ", this broker reads format " + FORMAT, null);
        }
    }

    static StoreException unreadable(Path directory, String problem, Throwable cause) {
        return new StoreException("The data store in " + directory + " cannot be read: " + problem + ". Portcullis"
                + " does not start with an empty store over existing data. Restore the directory from a backup,"
                + " or move it away to start with an empty store.", cause);
    }

    /**
     * Reads every record back, purges sessions and messages whose expiry passed (also while the broker was
     * down) and orphaned records, and logs what it recovered. Call once, before the broker takes connections.
     */
    public Recovered recover() throws StoreException {
        Recovered recovered = new StoreRecovery(db, directory, sessions, messages, retained, clock).run();
        Recovered.Summary s = recovered.summary();
        LOG.info("Store recovered: sessions={} queuedMessages={} inflightMessages={} retainedMessages={}"
                        + " purgedSessions={} purgedMessages={} purgedRetained={} tookMs={}", s.sessions(),
                s.queuedMessages(), s.inflightMessages(), s.retainedMessages(), s.purgedSessions(),
                s.purgedMessages(), s.purgedRetained(), s.millis());
        return recovered;
    }

    public Path directory() {
        return directory;
    }

    // ---------------------------------------------------------------- SessionJournal

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public void saveSession(String clientId, StoredSession session) {
        writer.write(StoreWriter.put(sessions, StoreKeys.session(clientId), RecordCodec.encodeSession(session)));
    }

    @Override
    public void removeSession(String clientId) {
        byte[] prefix = StoreKeys.prefix(clientId);
        writer.write(StoreWriter.deleteRange(sessionFamilies, prefix, StoreKeys.prefixEnd(prefix)));
    }

    @Override
    public void saveSubscription(String clientId, String filter, SubscriptionOptions options) {
        writer.write(StoreWriter.put(sessions, StoreKeys.subscription(clientId, filter),
                RecordCodec.encodeSubscription(options)));
    }

    @Override
    public void removeSubscription(String clientId, String filter) {
        writer.write(StoreWriter.delete(sessions, StoreKeys.subscription(clientId, filter)));
    }

    @Override
    public void saveInboundQos2(String clientId, int packetId) {
        writer.write(StoreWriter.put(sessions, StoreKeys.inboundQos2(clientId, packetId),
                RecordCodec.encodeInboundQos2()));
    }

    @Override
    public void removeInboundQos2(String clientId, int packetId) {
        writer.write(StoreWriter.delete(sessions, StoreKeys.inboundQos2(clientId, packetId)));
    }

    @Override
    public void saveQueued(String clientId, QueuedMessage message) {
        writer.write(StoreWriter.put(messages, StoreKeys.message(clientId, message.sequence()),
                RecordCodec.encodeQueued(message)));
    }

    @Override
    public void removeQueued(String clientId, long sequence) {
        writer.write(StoreWriter.delete(messages, StoreKeys.message(clientId, sequence)));
    }

    @Override
    public void saveInflight(String clientId, int packetId, long sequence, boolean released) {
        writer.write(StoreWriter.put(sessions, StoreKeys.inflight(clientId, packetId),
                RecordCodec.encodeInflight(sequence, released)));
    }

    @Override
    public void removeInflight(String clientId, int packetId, long sequence) {
        byte[] marker = StoreKeys.inflight(clientId, packetId);
        byte[] message = StoreKeys.message(clientId, sequence);
        writer.write(new StoreWriter.Task() {
            @Override
            void apply(WriteBatch batch) throws RocksDBException {
                batch.delete(sessions, marker);
                batch.delete(messages, message);
            }
        });
    }

    @Override
    public void loadQueued(String clientId, long fromSequence, int maximumCount, Executor owner,
                           Consumer<List<QueuedMessage>> loaded) {
        writer.read(database -> {
            List<QueuedMessage> page = new ArrayList<>(Math.min(maximumCount, 1024));
            try {
                scanQueue(database, clientId, fromSequence, maximumCount, (key, value) ->
                        page.add(RecordCodec.decodeQueued(value, StoreKeys.sequence(key))));
            } catch (RuntimeException e) {
                LOG.error("Queued messages could not be read: clientId={} fromSequence={}",
                        LogText.token(clientId), fromSequence, e);
                page.clear();
            }
            owner.execute(() -> loaded.accept(page));
        });
    }

    @Override
    public void trimQueued(String clientId, long fromSequence, int maximumCount, int minimumCount, long minimumBytes,
                           Executor owner, Consumer<Trimmed> trimmed) {
        writer.read(database -> {
            int count = 0;
            long bytes = 0;
            long next = fromSequence;
            try (WriteBatch batch = new WriteBatch(); RocksIterator it = database.newIterator(messages)) {
                byte[] prefix = StoreKeys.prefix(clientId);
                it.seek(StoreKeys.message(clientId, fromSequence));
                while (it.isValid() && StoreKeys.startsWith(it.key(), prefix) && count < maximumCount
                        && (count < minimumCount || bytes < minimumBytes)) {
                    QueuedMessage message = RecordCodec.decodeQueued(it.value(), StoreKeys.sequence(it.key()));
                    batch.delete(messages, it.key());
                    count++;
                    bytes += message.sizeInBytes();
                    next = message.sequence() + 1;
                    it.next();
                }
                database.write(writeOptions, batch);
            } catch (RocksDBException | RuntimeException e) {
                LOG.error("Queued messages could not be trimmed: clientId={}", LogText.token(clientId), e);
                count = 0;
                bytes = 0;
                next = fromSequence;
            }
            Trimmed result = new Trimmed(count, bytes, next);
            owner.execute(() -> trimmed.accept(result));
        });
    }

    /** Visits up to {@code maximumCount} queued messages of a session from {@code fromSequence} on. */
    private void scanQueue(RocksDB database, String clientId, long fromSequence, int maximumCount,
                           KeyValueVisitor visitor) {
        byte[] prefix = StoreKeys.prefix(clientId);
        int visited = 0;
        try (RocksIterator it = database.newIterator(messages)) {
            for (it.seek(StoreKeys.message(clientId, fromSequence));
                 it.isValid() && visited < maximumCount && StoreKeys.startsWith(it.key(), prefix); it.next()) {
                visitor.visit(it.key(), it.value());
                visited++;
            }
        }
    }

    /** One key and value of an iteration. */
    @FunctionalInterface
    private interface KeyValueVisitor {
        void visit(byte[] key, byte[] value);
    }

    @Override
    public long submittedOnThisThread() {
        return writer.submittedOnThisThread();
    }

    @Override
    public void whenDurable(Executor executor, Runnable onDurable, Consumer<Throwable> onFailure) {
        writer.whenDurable(executor, onDurable, onFailure);
    }

    @Override
    public void throttle(PublisherThrottle publisher) {
        writer.throttle(publisher);
    }

    // ---------------------------------------------------------------- RetainedJournal

    @Override
    public void retained(Message message) {
        writer.write(StoreWriter.put(retained, StoreKeys.retained(message.topic()),
                RecordCodec.encodeMessage(message)));
    }

    @Override
    public void removed(String topic) {
        writer.write(StoreWriter.delete(retained, StoreKeys.retained(topic)));
    }

    // ---------------------------------------------------------------- registry resources of the admin API

    /** Every record of the registry column family, in key order. At start-up, before any change is submitted. */
    public Map<String, byte[]> registryRecords() throws StoreException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        try (RocksIterator it = db.newIterator(registry)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                records.put(new String(it.key(), StandardCharsets.UTF_8), it.value());
            }
            it.status();
        } catch (RocksDBException e) {
            throw unreadable(directory, "the registry records cannot be read: " + e.getMessage(), e);
        }
        return records;
    }

    /**
     * Stores one registry record and returns once it is written (and synced, when the store syncs). Blocks:
     * call it from the admin API's executor, never from an event loop.
     */
    public void saveRegistryRecord(String key, byte[] value) throws StoreException {
        awaitCommit(StoreWriter.put(registry, key.getBytes(StandardCharsets.UTF_8), value), key);
    }

    /** Deletes one registry record and returns once the deletion is written. Blocks, like the save. */
    public void removeRegistryRecord(String key) throws StoreException {
        awaitCommit(StoreWriter.delete(registry, key.getBytes(StandardCharsets.UTF_8)), key);
    }

    private void awaitCommit(StoreWriter.Task write, String key) throws StoreException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.write(write);
        writer.whenDurable(Runnable::run, () -> done.complete(null), done::completeExceptionally);
        try {
            done.get(REGISTRY_WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new StoreException("The registry record " + key + " could not be written to the store in "
                    + directory + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StoreException("The registry record " + key + " was not written within "
                    + REGISTRY_WRITE_TIMEOUT_SECONDS + " s; the store in " + directory + " is overloaded or stuck", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while writing the registry record " + key, e);
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Writes everything submitted, flushes the log and memory tables to disk and closes the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flushWal(true);
            db.flush(flush, handles);
        } catch (RocksDBException e) {
            LOG.error("Store flush failed at shutdown; the log replays at the next start: status={}", e.getStatus(), e);
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        writeOptions.close();
        familyOptions.close();
        dbOptions.close();
        LOG.info("Store closed: directory={}", directory);
    }
}
