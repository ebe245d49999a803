package io.portcullis.config;

import java.util.Locale;

/** Where the broker keeps sessions and retained messages; written in lower case in the configuration file. */
public enum StorageMode {
    /** In memory only: everything is lost when the broker stops. For tests and for users who want it. */
    MEMORY,
    /** An embedded RocksDB store in {@code storage.dataDirectory}: survives restarts and crashes. */
    ROCKSDB;

    /** The spelling used in the configuration file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
