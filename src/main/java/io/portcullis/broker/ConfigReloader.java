package io.portcullis.broker;

import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Applies edits of the configuration file to a running broker (SPEC 3.5: registry changes reach live
 * connections at once and atomically). It watches the file's directory, so editors that write a new
 * file and rename it over the old one are seen, waits for {@link #DEFAULT_DEBOUNCE} of quiet, and also
 * reloads on SIGHUP (see {@link HangupSignal}). Each reload validates the whole file first with
 * {@link Configurations#load}; an invalid file changes nothing and is logged at WARN with every
 * problem (file, key, fix). A valid file's registry replaces the running one in one
 * {@link RegistryHolder#replace} and an INFO audit line names what changed; listener, TLS and MQTT
 * settings are not applied while running and a WARN names the keys that wait for a restart.
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
        /** The registry was replaced. */
        APPLIED,
        /** The file is valid and its registry equals the running one (restart-only keys may differ). */
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

    private final Path file;
    private final LoadedConfig running;
    private final RegistryHolder registry;
    private final Loader loader;
    private final Duration debounce;
    private final ScheduledExecutorService reloads;
    private WatchService watchService;
    private Thread watcher;
    private boolean hangupHandled;
    /** Guarded by {@code this}: the debounced reload not yet started. */
    private ScheduledFuture<?> pending;
    /** Reload thread only: digest of the file content last read, so unrelated events cost no parse. */
    private byte[] lastDigest;
    private volatile boolean closed;

    /**
     * @param running  the configuration the broker started with; restart-only keys are compared with it
     * @param registry the holder whose snapshot a valid edit replaces
     */
    public ConfigReloader(LoadedConfig running, RegistryHolder registry) {
        this(running, registry, Configurations::load, DEFAULT_DEBOUNCE);
    }

    ConfigReloader(LoadedConfig running, RegistryHolder registry, Loader loader, Duration debounce) {
        this.running = Objects.requireNonNull(running, "running");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        this.file = running.file().toAbsolutePath().normalize();
        this.reloads = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portcullis-config-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts watching the file's directory and handling SIGHUP, then checks the file once, so an edit
     * made between loading and watching is not missed.
     */
    public synchronized void start() throws IOException {
        if (watchService != null) {
            return;
        }
        Path directory = file.getParent();
        watchService = directory.getFileSystem().newWatchService();
        directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        watcher = new Thread(this::watch, "portcullis-config-watch");
        watcher.setDaemon(true);
        watcher.start();
        hangupHandled = HangupSignal.register(this);
        if (hangupHandled) {
            LOG.info("Configuration reload enabled: file={} triggers=file-change,SIGHUP debounce={}ms", file,
                    debounce.toMillis());
        } else {
            LOG.warn("Configuration reload on SIGHUP is not available on this JVM or platform; file changes are "
                    + "still applied: file={}", file);
        }
        submit("start", true);
    }

    /** Whether SIGHUP reloads this file (false where {@code sun.misc.Signal} or SIGHUP is missing). */
    public synchronized boolean isHangupHandled() {
        return hangupHandled;
    }

    /**
     * Reloads now, whether or not the file's content changed (referenced CA files may have). Any thread;
     * the future completes on the reload thread.
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
        Path name = file.getFileName();
        try {
            while (!closed) {
                WatchKey key = watchService.take();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    // OVERFLOW: events were lost, so the file may have changed. A symbolic link (a Kubernetes
                    // ConfigMap) changes through its target, so any event in the directory counts.
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context())
                            || Files.isSymbolicLink(file);
                }
                if (!key.reset()) {
                    LOG.warn("Configuration directory is no longer watched; use SIGHUP to reload: directory={}",
                            file.getParent());
                    return;
                }
                if (relevant) {
                    scheduleDebounced();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close() ends the watch.
        }
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
        byte[] digest = digest();
        if (onlyIfContentChanged && digest != null && Arrays.equals(digest, lastDigest)) {
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
            LOG.warn("Configuration change ignored, the broker keeps its current configuration: file={} trigger={} "
                    + "problems={}{}{}", file, trigger, e.problems().size(), System.lineSeparator(), e.getMessage());
            return Outcome.INVALID;
        }
        lastDigest = digest;

        List<String> restartKeys = RestartSettings.changedKeys(running.config(), edited.config());
        if (!restartKeys.isEmpty()) {
            LOG.warn("Configuration settings changed that apply only after a restart: file={} keys={}", file,
                    restartKeys);
        }
        Registry previous = registry.current();
        RegistryChanges changes = RegistryChanges.between(previous, edited.registry());
        if (changes.isEmpty()) {
            if (onlyIfContentChanged) {
                LOG.debug("Configuration reloaded, registry unchanged: file={} trigger={}", file, trigger);
            } else {
                LOG.info("Configuration reloaded, registry unchanged: file={} trigger={}", file, trigger);
            }
            return Outcome.UNCHANGED;
        }
        // The audit line first, so it precedes the lines of the connections that the change affects.
        LOG.info("Registry changed by configuration reload: file={} trigger={} changes=\"{}\"", file, trigger,
                changes.describe());
        // One swap: every decision after it uses the new snapshot; live sessions re-check on their own loops.
        registry.replace(edited.registry());
        return Outcome.APPLIED;
    }

    /** SHA-256 of the file's bytes, or {@code null} when it cannot be read (the loader then says why). */
    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
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
