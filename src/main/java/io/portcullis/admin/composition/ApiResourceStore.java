package io.portcullis.admin.composition;

import io.portcullis.persistence.RocksDbStore;
import io.portcullis.persistence.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the resources made through the admin API are kept: the durable store's {@code registry} column
 * family, or nowhere (storage mode memory: the composer's own map is all there is). Saves and removals
 * block until written; the composer calls them on the admin executor, never on an event loop.
 */
public interface ApiResourceStore {

    /** Everything stored, read once at start-up. */
    List<StoredResource> load() throws StoreException;

    void save(StoredResource resource) throws StoreException;

    void remove(StoredResource resource) throws StoreException;

    /** Whether resources survive a restart. */
    boolean isDurable();

    /** Keeps nothing: with storage mode memory, API-made resources live until the broker stops. */
    static ApiResourceStore inMemory() {
        return new ApiResourceStore() {
            @Override
            public List<StoredResource> load() {
                return List.of();
            }

            @Override
            public void save(StoredResource resource) {
            }

            @Override
            public void remove(StoredResource resource) {
            }

            @Override
            public boolean isDurable() {
                return false;
            }
        };
    }

    /** The durable store's registry column family, one JSON record per resource. */
    static ApiResourceStore rocksDb(RocksDbStore store) {
        Objects.requireNonNull(store, "store");
        return new ApiResourceStore() {
            @Override
            public List<StoredResource> load() throws StoreException {
                List<StoredResource> resources = new ArrayList<>();
                for (Map.Entry<String, byte[]> record : store.registryRecords().entrySet()) {
                    try {
                        resources.add(StoredResource.decode(record.getKey(), record.getValue()));
                    } catch (IllegalArgumentException e) {
                        throw new StoreException("The data store in " + store.directory() + " holds a registry"
                                + " record this broker cannot read (" + e.getMessage() + "). Restore the directory"
                                + " from a backup, or move it away to start with an empty store.", e);
                    }
                }
                return resources;
            }

            @Override
            public void save(StoredResource resource) throws StoreException {
                store.saveRegistryRecord(resource.key(), resource.encode());
            }

            @Override
            public void remove(StoredResource resource) throws StoreException {
                store.removeRegistryRecord(resource.key());
            }

            @Override
            public boolean isDurable() {
                return true;
            }
        };
    }
}
