package io.portcullis.broker;

import io.portcullis.admin.composition.RegistryComposer;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.registry.RegistryHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies edits of the configuration file, and of every file it references, to a running broker
 * (SPEC 3.5: registry changes reach live connections at once and atomically). It watches the
 * directories of the configuration file, the server certificate and key files, CA certificate files,
 * CRL files and admin CA files (each directory once), so files replaced by a rename are seen; waits for
 * {@link #DEFAULT_DEBOUNCE} of quiet; and also reloads on SIGHUP (see {@link HangupSignal}). Each reload
 * validates the whole configuration first with {@link Configurations#load}: a half-written PEM, a key
 * that does not fit its certificate or an expired certificate is a problem there, and an invalid
 * configuration changes nothing and is logged in one WARN with every problem (file, key, fix). A valid
 * one is applied in order: new server TLS material is built (when a server certificate or key file
 * changed), the registry is replaced in one {@link RegistryHolder#replace} with an INFO audit line, the
 * TLS context is swapped for new handshakes, and then every applier registered with {@link #onApplied}
 * gets the new configuration. Listener, MQTT and the other TLS settings are not applied while running
 * and a WARN names the keys that wait for a restart ({@link RestartSettings}).
 *
 * <p>Threads: one watch thread blocks on the {@link WatchService}; every reload runs on one reload
 * thread, so reloads never overlap and never run on a Netty event loop. {@link #reload} may be called
 * from any thread.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** Quiet time after the last file event before reading, so a file written in steps is read once. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

    /** What one reload did. */
    public enum Outcome {
        /** The registry was replaced or the server TLS material swapped (or both). */
        APPLIED,
        /**
         * The configuration is valid, its registry equals the running one and the server material is the same
         * (restart-only keys may differ; the {@link #onApplied} appliers still ran).
         */
        UNCHANGED,
        /** The file is not valid; nothing changed. */
        INVALID,
        /** The reload failed unexpectedly or the reloader is closed; nothing changed. */
        FAILED
    }

    /** Reads and validates a configuration file; {@link Configurations#load} in production. */
    @FunctionalInterface
    interface Loader {
        LoadedConfig load(Path file) throws ConfigException;
    }

    /** Prepares the server TLS material of an edited configuration; the broker's context swap in production. */
    @FunctionalInterface
    interface ServerTlsSwap {
        /** No server TLS material to apply (tests of the registry part). */
        ServerTlsSwap NONE = edited -> null;

        /**
         * Builds what the edited configuration's server certificates need without using it yet.
         *
         * @return what makes new handshakes use it, or {@code null} when the material did not change
         * @throws Exception when the material cannot be used; nothing has changed then
         */
        Runnable prepare(LoadedConfig edited) throws Exception;
    }

    private final Path file;
    private final LoadedConfig running;
    private final RegistryComposer composer;
    private final ServerTlsSwap tlsSwap;
    private final Loader loader;
    private final Duration debounce;
    private final ScheduledExecutorService reloads;
    private final List<Consumer<LoadedConfig>> appliers = new CopyOnWriteArrayList<>();
    /** Guarded by {@code this}: directories registered with the watch service. */
    private final Set<Path> watchedDirectories = new HashSet<>();
    /** The configuration file and the files it references, absolute; replaced after each valid reload. */
    private volatile Set<Path> watchedFiles;
    /** The configuration applied last; the one the broker started with until a reload succeeds. */
    private volatile LoadedConfig current;
    private WatchService watchService;
    private Thread watcher;
    private boolean hangupHandled;
    /** Guarded by {@code this}: the debounced reload not yet started. */
    private ScheduledFuture<?> pending;
    /** Reload thread only: digest of the watched files' content last read, so unrelated events cost no parse. */
    private byte[] lastDigest;
    /** Reload thread only: whether the last change read was ignored, so the next valid one says so. */
    private boolean lastChangeIgnored;
    /** Reload thread only: the restart-only keys the last valid change differed in from the running ones. */
    private List<String> pendingRestartKeys = List.of();
    private volatile boolean closed;

    /**
     * @param running  the configuration the broker started with; restart-only keys are compared with it
     * @param registry the holder whose snapshot a valid edit replaces; it holds file-declared resources only
     */
    public ConfigReloader(LoadedConfig running, RegistryHolder registry) {
        this(running, fileOnly(registry), ServerTlsSwap.NONE, Configurations::load, DEFAULT_DEBOUNCE);
    }

    ConfigReloader(LoadedConfig running, RegistryHolder registry, Loader loader, Duration debounce) {
        this(running, fileOnly(registry), ServerTlsSwap.NONE, loader, debounce);
    }

    /**
     * @param composer composes each valid edit's registry with the resources made through the admin API and
     *                 swaps the result into its holder
     */
    ConfigReloader(LoadedConfig running, RegistryComposer composer, ServerTlsSwap tlsSwap, Loader loader,
                   Duration debounce) {
        this.running = Objects.requireNonNull(running, "running");
        this.current = running;
        this.composer = Objects.requireNonNull(composer, "composer");
        this.tlsSwap = Objects.requireNonNull(tlsSwap, "tlsSwap");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        this.file = running.file().toAbsolutePath().normalize();
        this.watchedFiles = referencedFiles(running);
        this.reloads = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portcullis-config-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Registers {@code applier} to receive each configuration a reload applied, after the registry and TLS
     * material: for the subsystems that take over settings themselves (revocation, admin trust). It runs on
     * the reload thread after every reload of a valid configuration, changed or not, and with the running
     * configuration after an ignored change (so the subsystem re-reads its own files, a CRL file above all);
     * it must be idempotent and quick; an exception is logged and does not stop the other appliers.
     */
    public void onApplied(Consumer<LoadedConfig> applier) {
        appliers.add(Objects.requireNonNull(applier, "applier"));
    }

    /** The configuration applied last (the starting one until a reload succeeds). */
    public LoadedConfig current() {
        return current;
    }

    /** The configuration file and every file it references, as watched now. */
    public Set<Path> watchedFiles() {
        return watchedFiles;
    }

    /**
     * Starts watching the directories of the file and of the files it references, and handling SIGHUP,
     * then checks the files once, so an edit made between loading and watching is not missed.
     */
    public synchronized void start() throws IOException {
        if (watchService != null) {
            return;
        }
        watchService = file.getFileSystem().newWatchService();
        watchDirectoriesOf(watchedFiles);
        watcher = new Thread(this::watch, "portcullis-config-watch");
        watcher.setDaemon(true);
        watcher.start();
        hangupHandled = HangupSignal.register(this);
        if (hangupHandled) {
            LOG.info("Configuration reload enabled: file={} triggers=file-change,SIGHUP debounce={}ms "
                    + "watchedFiles={} directories={}", file, debounce.toMillis(), watchedFiles.size(),
                    watchedDirectories.size());
        } else {
            LOG.warn("Configuration reload on SIGHUP is not available on this JVM or platform; file changes are "
                    + "still applied: file={}", file);
        }
        submit("start", true);
    }

    /** Registers each directory not yet watched; a directory that cannot be watched is logged, not fatal. */
    private synchronized void watchDirectoriesOf(Set<Path> files) {
        if (watchService == null || closed) {
            return;
        }
        for (Path watched : files) {
            Path directory = watched.getParent();
            if (directory == null || watchedDirectories.contains(directory)) {
                continue;
            }
            try {
                directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                watchedDirectories.add(directory);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Directory cannot be watched; changes there need SIGHUP: directory={} cause={}", directory,
                        e.toString());
            }
        }
    }

    /** The configuration file and the files it names that a reload re-reads, absolute and normalized. */
    static Set<Path> referencedFiles(LoadedConfig loaded) {
        Set<Path> files = new TreeSet<>();
        files.add(loaded.file().toAbsolutePath().normalize());
        loaded.config().tls().serverCertificates().forEach(entry -> {
            files.add(normalize(entry.certificate()));
            files.add(normalize(entry.privateKey()));
        });
        loaded.config().caCertificates().stream().filter(ca -> ca.file() != null)
                .forEach(ca -> files.add(normalize(ca.file())));
        loaded.config().revocation().crlFiles().forEach(crl -> files.add(normalize(crl)));
        loaded.config().admin().caCertificateFiles().forEach(ca -> files.add(normalize(ca)));
        return Set.copyOf(files);
    }

    private static Path normalize(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** Whether SIGHUP reloads this file (false where {@code sun.misc.Signal} or SIGHUP is missing). */
    public synchronized boolean isHangupHandled() {
        return hangupHandled;
    }

    /**
     * Reloads now, whether or not the files' content changed (the SIGHUP and admin path). Any thread; the
     * future completes on the reload thread.
     */
    public CompletableFuture<Outcome> reload(String trigger) {
        return submit(trigger, false);
    }

    private CompletableFuture<Outcome> submit(String trigger, boolean onlyIfContentChanged) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            reloads.execute(() -> result.complete(reloadOnThisThread(trigger, onlyIfContentChanged)));
        } catch (RejectedExecutionException e) {
            result.complete(Outcome.FAILED);
        }
        return result;
    }

    private void watch() {
        try {
            while (!closed) {
                WatchKey key = watchService.take();
                Watchable watchable = key.watchable();
                Path directory = watchable instanceof Path path ? path : file.getParent();
                Set<Path> files = watchedFiles;
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // OVERFLOW: events were lost, so a file may have changed. A symbolic link (a Kubernetes
                    // ConfigMap or Secret) changes through its target, so any event in its directory counts.
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || event.context() instanceof Path name && files.contains(directory.resolve(name))
                            || hasSymbolicLink(files, directory);
                }
                if (!key.reset()) {
                    LOG.warn("Directory is no longer watched; use SIGHUP to reload: directory={}", directory);
                    synchronized (this) {
                        watchedDirectories.remove(directory);
                    }
                    continue;
                }
                if (relevant) {
                    scheduleDebounced();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close() ends the watch.
        }
    }

    private static boolean hasSymbolicLink(Set<Path> files, Path directory) {
        for (Path watched : files) {
            if (directory.equals(watched.getParent()) && Files.isSymbolicLink(watched)) {
                return true;
            }
        }
        return false;
    }

    private synchronized void scheduleDebounced() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = reloads.schedule(() -> reloadOnThisThread("file-change", true), debounce.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending = null;
        }
    }

    private Outcome reloadOnThisThread(String trigger, boolean onlyIfContentChanged) {
        if (closed) {
            return Outcome.FAILED;
        }
        try {
            return apply(trigger, onlyIfContentChanged);
        } catch (RuntimeException e) {
            LOG.error("Configuration reload failed; the broker keeps its current configuration: file={} trigger={}",
                    file, trigger, e);
            return Outcome.FAILED;
        }
    }

    private Outcome apply(String trigger, boolean onlyIfContentChanged) {
        Set<Path> files = watchedFiles;
        byte[] digest = digest(files);
        if (onlyIfContentChanged && Arrays.equals(digest, lastDigest)) {
            return Outcome.UNCHANGED;
        }
        LoadedConfig edited;
        try {
            edited = loader.load(file);
        } catch (ConfigException e) {
            if (closed) {
                // close() interrupted the read; the file itself may be fine.
                return Outcome.FAILED;
            }
            lastDigest = digest;
            lastChangeIgnored = true;
            LOG.warn("Configuration change ignored, the broker keeps its current configuration and certificates: "
                    + "file={} trigger={} problems={}{}{}", file, trigger, e.problems().size(), System.lineSeparator(),
                    e.getMessage());
            reapplyCurrent();
            return Outcome.INVALID;
        }
        Runnable tlsCommit;
        try {
            tlsCommit = tlsSwap.prepare(edited);
        } catch (Exception e) {
            lastDigest = digest;
            lastChangeIgnored = true;
            LOG.warn("Configuration change ignored, the server certificates cannot be used; the broker keeps its "
                    + "current configuration and certificates: file={} trigger={} cause={}", file, trigger,
                    e.toString());
            reapplyCurrent();
            return Outcome.INVALID;
        }
        Set<Path> editedFiles = referencedFiles(edited);
        // A new file set has not been digested yet: forget the digest so the next event reads everything.
        lastDigest = editedFiles.equals(files) ? digest : null;
        watchedFiles = editedFiles;
        watchDirectoriesOf(editedFiles);

        if (lastChangeIgnored) {
            lastChangeIgnored = false;
            LOG.info("Configuration valid again after an ignored change; applying it: file={} trigger={}", file,
                    trigger);
        }
        List<String> restartKeys = RestartSettings.changedKeys(running.config(), edited.config());
        if (!restartKeys.isEmpty()) {
            LOG.warn("Configuration settings changed that apply only after a restart: file={} keys={}", file,
                    restartKeys);
        } else if (!pendingRestartKeys.isEmpty()) {
            LOG.info("Settings that apply only after a restart are back to their running values: file={} keys={}",
                    file, pendingRestartKeys);
        }
        pendingRestartKeys = restartKeys;
        boolean changed = applyRegistry(edited, trigger, onlyIfContentChanged);
        if (tlsCommit != null) {
            // After the registry: a client that reaches the new material is judged by the new registry too.
            tlsCommit.run();
            changed = true;
        }
        current = edited;
        for (Consumer<LoadedConfig> applier : appliers) {
            try {
                applier.accept(edited);
            } catch (RuntimeException e) {
                LOG.error("Applying a reloaded configuration failed in one subsystem: file={} applier={}", file,
                        applier, e);
            }
        }
        return changed ? Outcome.APPLIED : Outcome.UNCHANGED;
    }

    /**
     * After an ignored change: hands the running configuration to the subsystems again, so what they read
     * from files of their own keeps being applied — above all a new CRL in a CRL file, which a broken server
     * certificate elsewhere must not hold back. Each subsystem keeps what it has when a file is unusable.
     */
    private void reapplyCurrent() {
        LoadedConfig running = current;
        for (Consumer<LoadedConfig> applier : appliers) {
            try {
                applier.accept(running);
            } catch (RuntimeException e) {
                LOG.error("Re-reading the running configuration's files failed in one subsystem: file={} applier={}",
                        file, applier, e);
            }
        }
    }

    private static RegistryComposer fileOnly(RegistryHolder registry) {
        return RegistryComposer.fileOnly(registry, Configurations.queryCheck(), Configurations.templateCheck());
    }

    /**
     * Composes the edited file's registry with the API-made resources and replaces the running registry
     * when the result differs; whether it did. The composer's lock keeps API changes out meanwhile.
     */
    private boolean applyRegistry(LoadedConfig edited, String trigger, boolean onlyIfContentChanged) {
        return composer.applyConfiguration(edited.registry(), (previous, next) -> {
            RegistryChanges changes = RegistryChanges.between(previous, next);
            if (changes.isEmpty()) {
                if (onlyIfContentChanged) {
                    LOG.debug("Configuration reloaded, registry unchanged: file={} trigger={}", file, trigger);
                } else {
                    LOG.info("Configuration reloaded, registry unchanged: file={} trigger={}", file, trigger);
                }
                return false;
            }
            // The audit line first, so it precedes the lines of the connections that the change affects. The
            // composer swaps right after: every decision then uses the new snapshot, live sessions re-check.
            LOG.info("Registry changed by configuration reload: file={} trigger={} changes=\"{}\"", file, trigger,
                    changes.describe());
            return true;
        });
    }

    /**
     * SHA-256 over the watched files' names and bytes; a file that cannot be read counts as a marker, so
     * it is read again (and the loader says why) once it changes.
     */
    private static byte[] digest(Set<Path> files) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        for (Path watched : new TreeSet<>(files)) {
            sha256.update(watched.toString().getBytes(StandardCharsets.UTF_8));
            try {
                sha256.update(Files.readAllBytes(watched));
            } catch (IOException e) {
                sha256.update((byte) 0);
                sha256.update(e.getClass().getName().getBytes(StandardCharsets.UTF_8));
            }
        }
        return sha256.digest();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (hangupHandled) {
                HangupSignal.unregister(this);
            }
            if (watchService != null) {
                try {
                    watchService.close();
                } catch (IOException e) {
                    LOG.debug("Closing the configuration watch failed: cause={}", e.toString());
                }
            }
        }
        reloads.shutdownNow();
        try {
            // A reload in progress finishes its swap before the broker's loops stop.
            reloads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
