package io.portcullis.persistence;

import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.routing.Message;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.InflightMessage;
import io.portcullis.session.QueuedMessage;
import io.portcullis.session.RecoveredSession;
import io.portcullis.session.SessionJournal;
import io.portcullis.session.StoredSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocksDbStoreTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path directory;

    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static Message message(String topic, String payload, Long expirySeconds, long receivedAt) {
        return new Message(topic, 1, false, payload.getBytes(StandardCharsets.UTF_8),
                PublishProperties.NONE.withMessageExpiryInterval(expirySeconds), "pub", receivedAt);
    }

    private static QueuedMessage queued(String payload, long sequence) {
        return new QueuedMessage(message("q/" + payload, payload, null, NOW), 1, false, List.of(), sequence);
    }

    private static void awaitDurable(SessionJournal journal) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        journal.whenDurable(Runnable::run, () -> done.complete(null), done::completeExceptionally);
        done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void keepsRegistryRecordsAcrossReopeningAndDeletesThem() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            assertThat(store.registryRecords()).isEmpty();
            store.saveRegistryRecord("clients/pump-7", "one".getBytes(StandardCharsets.UTF_8));
            store.saveRegistryRecord("clientGroups/pumps", "two".getBytes(StandardCharsets.UTF_8));
            store.saveRegistryRecord("clients/pump-7", "three".getBytes(StandardCharsets.UTF_8));
        }
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            Map<String, byte[]> records = store.registryRecords();
            assertThat(records.keySet()).containsExactly("clientGroups/pumps", "clients/pump-7");
            assertThat(new String(records.get("clients/pump-7"), StandardCharsets.UTF_8)).isEqualTo("three");
            store.removeRegistryRecord("clientGroups/pumps");
        }
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            assertThat(store.registryRecords().keySet()).containsExactly("clients/pump-7");
        }
    }

    @Test
    void roundTripsEveryRecordKind() throws Exception {
        Message will = message("will/alice", "gone", null, NOW);
        Message retained = message("status/a", "on", null, NOW);
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            store.saveSession("alice", new StoredSession("Alice", 3600, NOW - 1000, will, 60));
            store.saveSubscription("alice", "a/#", new SubscriptionOptions(1, true, false, 2, 9));
            store.saveSubscription("alice", "$share/g/b", SubscriptionOptions.ofQos(2));
            store.saveInboundQos2("alice", 300);
            for (long sequence = 1; sequence <= 4; sequence++) {
                store.saveQueued("alice", queued("m" + sequence, sequence));
            }
            store.saveInflight("alice", 17, 1, true);
            store.saveInflight("alice", 18, 2, false);
            store.retained(retained);
            store.retained(message("status/b", "off", null, NOW));
            store.removed("status/b");
            awaitDurable(store);
        }

        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            Recovered recovered = store.recover();

            assertThat(recovered.sessions()).hasSize(1);
            RecoveredSession alice = recovered.sessions().get(0);
            assertThat(alice.clientId()).isEqualTo("alice");
            assertThat(alice.stored()).usingRecursiveComparison()
                    .isEqualTo(new StoredSession("Alice", 3600, NOW - 1000, will, 60));
            assertThat(alice.subscriptions()).isEqualTo(Map.of("a/#", new SubscriptionOptions(1, true, false, 2, 9),
                    "$share/g/b", SubscriptionOptions.ofQos(2)));
            assertThat(alice.inboundQos2()).isEqualTo(Set.of(300));
            assertThat(alice.inflight()).extracting(InflightMessage::packetId, InflightMessage::released,
                    i -> i.message().sequence()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(17, true, 1L),
                    org.assertj.core.groups.Tuple.tuple(18, false, 2L));
            assertThat(alice.queuedCount()).isEqualTo(2);
            assertThat(alice.queuedBytes()).isEqualTo(queued("m3", 3).sizeInBytes() + queued("m4", 4).sizeInBytes());
            assertThat(alice.firstQueuedSequence()).isEqualTo(3);
            assertThat(alice.nextSequence()).isEqualTo(5);
            assertThat(recovered.retained()).singleElement().usingRecursiveComparison().isEqualTo(retained);
            assertThat(recovered.summary().queuedMessages()).isEqualTo(2);
        }
    }

    @Test
    void purgesWhatExpiredWhileTheBrokerWasDown() throws Exception {
        Message will = message("will/old", "bye", null, NOW);
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            // Disconnected 10 s before the broker went down, with 5 s expiry: gone at the restart.
            store.saveSession("old", new StoredSession("old", 5, NOW - 10_000, will, 1));
            store.saveQueued("old", queued("x", 1));
            store.saveSubscription("old", "t", SubscriptionOptions.ofQos(1));
            // Alive, with one message whose Message Expiry Interval passes while the broker is down.
            store.saveSession("young", new StoredSession("young", 3600, NOW, null, 0));
            store.saveQueued("young", new QueuedMessage(message("t", "short", 5L, NOW), 1, false, List.of(), 1));
            store.saveQueued("young", queued("long", 2));
            store.retained(message("r/short", "s", 5L, NOW));
            store.retained(message("r/long", "l", null, NOW));
            // A record without a session record is an orphan.
            store.saveSubscription("orphan", "t", SubscriptionOptions.ofQos(1));
            awaitDurable(store);
        }

        Recovered recovered;
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW + 60_000))) {
            recovered = store.recover();
        }

        assertThat(recovered.sessions()).extracting(RecoveredSession::clientId).containsExactly("young");
        assertThat(recovered.sessions().get(0).queuedCount()).isEqualTo(1);
        assertThat(recovered.sessions().get(0).firstQueuedSequence()).isEqualTo(2);
        assertThat(recovered.retained()).extracting(Message::topic).containsExactly("r/long");
        assertThat(recovered.overdueWills()).extracting(Recovered.OverdueWill::clientId).containsExactly("old");
        assertThat(recovered.summary().purgedSessions()).isEqualTo(2);
        assertThat(recovered.summary().purgedRetained()).isEqualTo(1);

        // The purge was written: a second start finds nothing more to purge.
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW + 60_000))) {
            Recovered again = store.recover();
            assertThat(again.summary().purgedSessions()).isZero();
            assertThat(again.summary().purgedMessages()).isZero();
            assertThat(again.overdueWills()).isEmpty();
        }
    }

    @Test
    void aSessionConnectedAtTheCrashExpiresCountingFromTheRestart() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            store.saveSession("c", new StoredSession("c", 60, -1, null, 0));
            store.saveSession("zero", new StoredSession("zero", 0, -1, null, 0));
            awaitDurable(store);
        }

        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW + 3_600_000))) {
            Recovered recovered = store.recover();

            assertThat(recovered.sessions()).extracting(RecoveredSession::clientId).containsExactly("c");
        }
    }

    @Test
    void keepsQueueOrderAndPagesAndTrimsFromTheOldest() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, false, at(NOW))) {
            store.saveSession("s", new StoredSession("s", 60, NOW, null, 0));
            for (long sequence = 1; sequence <= 600; sequence++) {
                store.saveQueued("s", queued(Long.toString(sequence), sequence));
            }
            store.saveQueued("t", queued("other", 1));

            List<QueuedMessage> page = load(store, "s", 250, 1000);
            assertThat(page).extracting(QueuedMessage::sequence)
                    .containsExactlyElementsOf(range(250, 600));
            assertThat(page).extracting(q -> new String(q.message().payload(), StandardCharsets.UTF_8))
                    .startsWith("250", "251");

            CompletableFuture<SessionJournal.Trimmed> trimmed = new CompletableFuture<>();
            store.trimQueued("s", 1, 600, 3, 0, Runnable::run, trimmed::complete);
            SessionJournal.Trimmed result = trimmed.get(10, TimeUnit.SECONDS);
            assertThat(result.count()).isEqualTo(3);
            assertThat(result.nextSequence()).isEqualTo(4);
            assertThat(load(store, "s", 1, 2)).extracting(QueuedMessage::sequence).containsExactly(4L, 5L);
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> values = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }

    private static List<QueuedMessage> load(RocksDbStore store, String clientId, long from, int count)
            throws Exception {
        CompletableFuture<List<QueuedMessage>> page = new CompletableFuture<>();
        store.loadQueued(clientId, from, count, Runnable::run, page::complete);
        return page.get(10, TimeUnit.SECONDS);
    }

    @Test
    void namesTheSettingWhenTheDataDirectoryIsAFile() throws Exception {
        Path file = Files.writeString(directory.resolve("base.yaml"), "mqtt: {}\n");

        assertThatThrownBy(() -> RocksDbStore.open(file, true, at(NOW))).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.setting()).isEqualTo("storage.dataDirectory");
                    assertThat(e.getMessage()).isEqualTo("storage.dataDirectory: " + file.toAbsolutePath()
                            + " is a file, not a directory. Fix: point storage.dataDirectory at a directory (a"
                            + " missing one is created), or move the file away");
                });
    }

    @Test
    void namesTheSettingWhenTheDataDirectoryCannotBeCreated() throws Exception {
        Path file = Files.writeString(directory.resolve("base.yaml"), "mqtt: {}\n");
        Path below = file.resolve("data");

        assertThatThrownBy(() -> RocksDbStore.open(below, true, at(NOW))).isInstanceOfSatisfying(StoreException.class,
                e -> {
                    assertThat(e.setting()).isEqualTo("storage.dataDirectory");
                    assertThat(e.getMessage()).startsWith("storage.dataDirectory: " + below.toAbsolutePath()
                            + " cannot be created or read (").contains(". Fix: let the broker's user create")
                            .doesNotContain("Exception");
                });
    }

    @Test
    void namesTheSettingWhenTheDataDirectoryIsNotWritable() throws Exception {
        Path readOnly = Files.createDirectory(directory.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        // root may write anything, so only an unprivileged run can see the refusal.
        Assumptions.assumeFalse(Files.isWritable(readOnly), "the test user may write a read-only directory");

        assertThatThrownBy(() -> RocksDbStore.open(readOnly, true, at(NOW)))
                .isInstanceOf(StoreException.class)
                .hasMessage("storage.dataDirectory: " + readOnly.toAbsolutePath() + " is a directory the broker's"
                        + " user may not write. Fix: let the broker's user create, read and write it, or point"
                        + " storage.dataDirectory at a directory it may write");
    }

    @Test
    void refusesADirectoryWithOtherFiles() throws Exception {
        Files.writeString(directory.resolve("notes.txt"), "not a store");

        assertThatThrownBy(() -> RocksDbStore.open(directory, true, at(NOW))).isInstanceOf(StoreException.class)
                .hasMessageContaining(directory.toString()).hasMessageContaining("holds files but no store");
    }

    @Test
    void refusesAStoreRocksDbCannotOpen() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            store.saveSession("a", new StoredSession("a", 60, NOW, null, 0));
            awaitDurable(store);
        }
        String manifest = Files.readString(directory.resolve("CURRENT")).strip();
        Files.write(directory.resolve(manifest), new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

        assertThatThrownBy(() -> RocksDbStore.open(directory, true, at(NOW))).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("does not start with an empty store");
        // Nothing was overwritten: the damaged file is still there for the operator.
        assertThat(Files.exists(directory.resolve(manifest))).isTrue();
    }

    @Test
    void refusesARecordItCannotDecode() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            store.saveSession("a", new StoredSession("a", 60, NOW, null, 0));
            awaitDurable(store);
        }
        writeRaw(RocksDbStore.MESSAGES, StoreKeys.message("a", 1), new byte[]{99, 0, 0});

        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            assertThatThrownBy(store::recover).isInstanceOf(StoreException.class)
                    .hasMessageContaining("'messages'").hasMessageContaining("format version 99")
                    .hasMessageContaining(directory.toString());
        }
    }

    @Test
    void refusesAStoreWithoutItsFormatMarker() throws Exception {
        try (RocksDbStore store = RocksDbStore.open(directory, true, at(NOW))) {
            awaitDurable(store);
        }
        writeRaw("default", RocksDbStore.FORMAT_KEY, new byte[]{7});

        assertThatThrownBy(() -> RocksDbStore.open(directory, true, at(NOW))).isInstanceOf(StoreException.class)
                .hasMessageContaining("format");
    }

    /** Writes a value behind the store's back, as damage or another version would. */
    private void writeRaw(String family, byte[] key, byte[] value) throws Exception {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (String name : List.of(RocksDbStore.SESSIONS, RocksDbStore.MESSAGES, RocksDbStore.RETAINED,
                RocksDbStore.REGISTRY)) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.open(options, directory.toString(), descriptors, handles)) {
            int index = family.equals("default") ? 0 : List.of(RocksDbStore.SESSIONS, RocksDbStore.MESSAGES,
                    RocksDbStore.RETAINED, RocksDbStore.REGISTRY).indexOf(family) + 1;
            db.put(handles.get(index), key, value);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
