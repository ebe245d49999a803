package io.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code storage} section: where sessions, queued messages and retained messages are kept.
 *
 * @param mode          {@link StorageMode#MEMORY} or {@link StorageMode#ROCKSDB}
 * @param dataDirectory the RocksDB directory (absolute once loaded); unused in memory mode
 * @param sync          whether each write batch is synced to disk before acknowledgements are sent (survives
 *                      power loss) or left to the operating system (survives a killed broker, not a crashed
 *                      machine; faster)
 */
public record StorageConfig(StorageMode mode, Path dataDirectory, boolean sync) {
    /** What a file without a {@code storage} section gets, before {@code data} is resolved against its directory. */
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");

    /** In-memory storage; what a configuration built in code without storage settings uses. */
    public static final StorageConfig MEMORY = new StorageConfig(StorageMode.MEMORY, DEFAULT_DATA_DIRECTORY, true);

    public StorageConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
    }

    /** Durable storage in {@code dataDirectory}, syncing each write batch. */
    public static StorageConfig rocksDb(Path dataDirectory) {
        return new StorageConfig(StorageMode.ROCKSDB, dataDirectory, true);
    }

    public boolean isDurable() {
        return mode == StorageMode.ROCKSDB;
    }
}
