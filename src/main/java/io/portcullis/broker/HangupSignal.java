package io.portcullis.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns SIGHUP into a configuration reload of every running {@link ConfigReloader} in the process.
 * One process-wide handler is installed while at least one reloader is registered, and the JVM's
 * previous handler is put back when the last one leaves. The handler uses {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}): where that is missing or the platform has no SIGHUP (Windows),
 * registration answers {@code false} and the caller logs that only file watching works.
 * The JVM calls the handler on its own signal thread; it only queues reloads.
 */
final class HangupSignal {
    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    /** Guarded by the class lock, like {@link #previousHandler}. */
    private static final Set<ConfigReloader> RELOADERS = new LinkedHashSet<>();
    /** The handler before ours, kept as Object so this class loads even without {@code sun.misc}. */
    private static Object previousHandler;

    private HangupSignal() {
    }

    /** Adds a reloader; {@code false} when SIGHUP cannot be handled here (the reason is logged at DEBUG). */
    static synchronized boolean register(ConfigReloader reloader) {
        if (RELOADERS.isEmpty()) {
            try {
                previousHandler = Native.install(HangupSignal::dispatch);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // IllegalArgumentException: no SIGHUP on this platform, or the JVM reserves it (-Xrs).
                LOG.debug("SIGHUP handler not installed: cause={}", e.toString());
                return false;
            }
        }
        RELOADERS.add(reloader);
        return true;
    }

    static synchronized void unregister(ConfigReloader reloader) {
        if (!RELOADERS.remove(reloader) || !RELOADERS.isEmpty()) {
            return;
        }
        try {
            Native.restore(previousHandler);
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.debug("SIGHUP handler not restored: cause={}", e.toString());
        }
        previousHandler = null;
    }

    private static void dispatch() {
        List<ConfigReloader> targets;
        synchronized (HangupSignal.class) {
            targets = List.copyOf(RELOADERS);
        }
        LOG.info("SIGHUP received: reloading configuration files={}", targets.size());
        for (ConfigReloader reloader : targets) {
            reloader.reload("SIGHUP");
        }
    }

    /** The only code that names {@code sun.misc}; loaded on first use, so its absence is a catchable error. */
    private static final class Native {
        private static final String HANGUP = "HUP";

        static Object install(Runnable action) {
            return sun.misc.Signal.handle(new sun.misc.Signal(HANGUP), signal -> action.run());
        }

        static void restore(Object previous) {
            if (previous instanceof sun.misc.SignalHandler handler) {
                sun.misc.Signal.handle(new sun.misc.Signal(HANGUP), handler);
            }
        }
    }
}
