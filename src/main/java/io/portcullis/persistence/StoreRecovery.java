package io.portcullis.persistence;

import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.InflightMessage;
import io.portcullis.session.QueuedMessage;
import io.portcullis.session.RecoveredSession;
import io.portcullis.session.StoredSession;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One pass over the store at start-up: reads every session, its subscriptions, packet ids and queue
 * bookkeeping, and every retained message; deletes what expired (sessions by their expiry, messages by
 * their Message Expiry Interval, counting time the broker was down) and records without a session. A
 * record it cannot decode stops start-up with a {@link StoreException}. Runs on the starting thread before
 * the store takes other work.
 */
final class StoreRecovery {
    private final RocksDB db;
    private final Path directory;
    private final ColumnFamilyHandle sessions;
    private final ColumnFamilyHandle messages;
    private final ColumnFamilyHandle retained;
    private final long now;
    private final long started = System.nanoTime();

    private final Map<String, Builder> live = new LinkedHashMap<>();
    private final Set<String> purgedSessions = new HashSet<>();
    private final List<Recovered.OverdueWill> overdueWills = new ArrayList<>();
    private long purgedMessages;
    private int purgedRetained;

    StoreRecovery(RocksDB db, Path directory, ColumnFamilyHandle sessions, ColumnFamilyHandle messages,
                  ColumnFamilyHandle retained, Clock clock) {
        this.db = db;
        this.directory = directory;
        this.sessions = sessions;
        this.messages = messages;
        this.retained = retained;
        this.now = clock.millis();
    }

    /** A session as it is read back. */
    private static final class Builder {
        final String clientId;
        final StoredSession stored;
        final Map<String, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
        final Set<Integer> inboundQos2 = new HashSet<>();
        /** In-flight records by the key of their message. */
        final Map<Long, int[]> inflightBySequence = new HashMap<>();
        final TreeMap<Long, InflightMessage> inflight = new TreeMap<>();
        int queuedCount;
        long queuedBytes;
        long firstQueued = Long.MAX_VALUE;
        long lastSequence;

        Builder(String clientId, StoredSession stored) {
            this.clientId = clientId;
            this.stored = stored;
        }

        RecoveredSession build() {
            return new RecoveredSession(clientId, stored, subscriptions, inboundQos2,
                    new ArrayList<>(inflight.values()), queuedCount, queuedBytes,
                    queuedCount == 0 ? lastSequence + 1 : firstQueued, lastSequence + 1);
        }
    }

    Recovered run() throws StoreException {
        try (WriteBatch purge = new WriteBatch(); WriteOptions synced = new WriteOptions().setSync(true)) {
            readSessions(purge);
            readMessages(purge);
            List<Message> retainedMessages = readRetained(purge);
            for (String clientId : purgedSessions) {
                byte[] prefix = StoreKeys.prefix(clientId);
                purge.deleteRange(sessions, prefix, StoreKeys.prefixEnd(prefix));
                purge.deleteRange(messages, prefix, StoreKeys.prefixEnd(prefix));
            }
            if (purge.count() > 0) {
                db.write(synced, purge);
            }

            List<RecoveredSession> recovered = new ArrayList<>(live.size());
            long queued = 0;
            long inflight = 0;
            for (Builder builder : live.values()) {
                RecoveredSession session = builder.build();
                recovered.add(session);
                queued += session.queuedCount();
                inflight += session.inflight().size();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new Recovered(recovered, retainedMessages, overdueWills, new Recovered.Summary(recovered.size(),
                    queued, inflight, retainedMessages.size(), purgedSessions.size(), purgedMessages, purgedRetained,
                    millis));
        } catch (RocksDBException e) {
            throw RocksDbStore.unreadable(directory, "RocksDB reports: " + e.getMessage(), e);
        }
    }

    private void readSessions(WriteBatch purge) throws StoreException, RocksDBException {
        try (RocksIterator it = db.newIterator(sessions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                byte[] value = it.value();
                try {
                    readSessionRecord(key, value, purge);
                } catch (RecordFormatException | IllegalArgumentException e) {
                    throw RocksDbStore.unreadable(directory, "a record in column family '" + RocksDbStore.SESSIONS
                            + "' (key " + printable(key) + ") is not valid: " + e.getMessage(), e);
                }
            }
            it.status();
        }
    }

    private void readSessionRecord(byte[] key, byte[] value, WriteBatch purge) throws RocksDBException {
        String clientId = StoreKeys.clientId(key);
        int type = StoreKeys.sessionRecordType(key);
        if (type == StoreKeys.SESSION) {
            StoredSession stored = RecordCodec.decodeSession(value);
            if (stored.expiresAtMillis(now) <= now) {
                purgedSessions.add(clientId);
                if (stored.will() != null) {
                    // Its end while the broker was down would have published the Will [MQTT-3.1.3-9].
                    overdueWills.add(new Recovered.OverdueWill(clientId, stored.authenticationName(), stored.will()));
                }
            } else {
                live.put(clientId, new Builder(clientId, stored));
            }
            return;
        }
        Builder builder = live.get(clientId);
        if (builder == null) {
            // Records sort after their session record: none means the session expired or never was stored.
            purgedSessions.add(clientId);
            return;
        }
        switch (type) {
            case StoreKeys.SUBSCRIPTION ->
                    builder.subscriptions.put(StoreKeys.subscriptionFilter(key), RecordCodec.decodeSubscription(value));
            case StoreKeys.INBOUND_QOS2 -> {
                RecordCodec.decodeInboundQos2(value);
                builder.inboundQos2.add(StoreKeys.packetId(key));
            }
            case StoreKeys.INFLIGHT -> {
                RecordCodec.Inflight inflight = RecordCodec.decodeInflight(value);
                builder.inflightBySequence.put(inflight.sequence(),
                        new int[]{StoreKeys.packetId(key), inflight.released() ? 1 : 0});
            }
            default -> throw new RecordFormatException("unknown session record type " + type);
        }
    }

    private void readMessages(WriteBatch purge) throws StoreException, RocksDBException {
        try (RocksIterator it = db.newIterator(messages)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                try {
                    readMessage(key, it.value(), purge);
                } catch (RecordFormatException | IllegalArgumentException e) {
                    throw RocksDbStore.unreadable(directory, "a record in column family '" + RocksDbStore.MESSAGES
                            + "' (key " + printable(key) + ") is not valid: " + e.getMessage(), e);
                }
            }
            it.status();
        }
        // In-flight records whose message is gone cannot be re-sent.
        for (Builder builder : live.values()) {
            for (Map.Entry<Long, int[]> orphan : builder.inflightBySequence.entrySet()) {
                purge.delete(sessions, StoreKeys.inflight(builder.clientId, orphan.getValue()[0]));
            }
        }
    }

    private void readMessage(byte[] key, byte[] value, WriteBatch purge) throws RocksDBException {
        String clientId = StoreKeys.clientId(key);
        long sequence = StoreKeys.sequence(key);
        Builder builder = live.get(clientId);
        if (builder == null) {
            purgedSessions.add(clientId);
            purgedMessages++;
            return;
        }
        QueuedMessage message = RecordCodec.decodeQueued(value, sequence);
        builder.lastSequence = Math.max(builder.lastSequence, sequence);
        int[] inflight = builder.inflightBySequence.remove(sequence);
        if (inflight != null) {
            builder.inflight.put(sequence, new InflightMessage(inflight[0], message, inflight[1] == 1));
            return;
        }
        if (message.message().isExpired(now)) {
            purge.delete(messages, key);
            purgedMessages++;
            return;
        }
        builder.queuedCount++;
        builder.queuedBytes += message.sizeInBytes();
        builder.firstQueued = Math.min(builder.firstQueued, sequence);
    }

    private List<Message> readRetained(WriteBatch purge) throws StoreException, RocksDBException {
        List<Message> found = new ArrayList<>();
        try (RocksIterator it = db.newIterator(retained)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                Message message;
                try {
                    message = RecordCodec.decodeMessage(it.value());
                } catch (RecordFormatException | IllegalArgumentException e) {
                    throw RocksDbStore.unreadable(directory, "a record in column family '" + RocksDbStore.RETAINED
                            + "' (topic " + printable(key) + ") is not valid: " + e.getMessage(), e);
                }
                if (message.isExpired(now)) {
                    purge.delete(retained, key);
                    purgedRetained++;
                } else {
                    found.add(message);
                }
            }
            it.status();
        }
        return found;
    }

    /** A key for an error message: text as text, anything else in hex. */
    private static String printable(byte[] key) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(key.length, 80); i++) {
            int b = key[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b));
            }
        }
        return key.length > 80 ? text + "..." : text.toString();
    }
}
