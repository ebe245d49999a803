package io.portcullis.auth;

import io.portcullis.registry.Registry;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the trust material precomputed from one registry snapshot (CA trust anchors, the set of
 * allowed thumbprints, and a cache of chain validation results) and rebuilds it when a new snapshot
 * is passed in. Share one instance between {@link RegistryCertificateVerifier} and
 * {@link CertificateConnectAuthenticator} so a chain validated during the handshake is not
 * validated again at CONNECT. Thread-safe and lock-free; called on event loops.
 */
public final class CertificateTrust {
    private final AtomicReference<RegistryTrust> latest = new AtomicReference<>();

    /**
     * Builds the material for a new snapshot ahead of the next handshake; call it from a
     * {@code RegistryHolder.onChange} listener so no event loop pays for the build.
     */
    public void prepare(Registry registry) {
        forRegistry(registry);
    }

    /** The trust material for a snapshot, built on first use and kept while the snapshot is current. */
    RegistryTrust forRegistry(Registry registry) {
        Objects.requireNonNull(registry, "registry");
        RegistryTrust current = latest.get();
        if (current != null && current.registry() == registry) {
            return current;
        }
        // Two threads may race to build the same snapshot's material; both results are equivalent,
        // so the last one stored wins and no lock is needed.
        RegistryTrust built = new RegistryTrust(registry);
        latest.set(built);
        return built;
    }
}
