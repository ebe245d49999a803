package io.portcullis.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns SIGHUP into a configuration reload of every running {@link ConfigReloader} in the process.
 * One process-wide handler is installed while at least one reloader is registered, and the JVM's
 * previous handler is put back when the last one leaves. The handler uses {@code sun.misc.Signal}
 * (module {@code jdk.unsupported}, reached by reflection): where that is missing or the platform has no
 * SIGHUP (Windows), registration answers {@code false} and the caller logs that only file watching works.
 * The JVM calls the handler on its own signal thread; it only queues reloads.
 */
final class HangupSignal {
    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    /** Guarded by the class lock, like {@link #previousHandler}. */
    private static final Set<ConfigReloader> RELOADERS = new LinkedHashSet<>();
    /** The handler before ours ({@code sun.misc.SignalHandler}), put back when the last reloader leaves. */
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

    /**
     * The only code that touches {@code sun.misc.Signal}, by reflection: no compile-time dependency on
     * {@code jdk.unsupported}, and its absence is an ordinary failure the caller handles.
     */
    private static final class Native {
        private static final String HANGUP = "HUP";

        static Object install(Runnable action) {
            return handle(null, HangupSignal.class.getClassLoader(), action);
        }

        static void restore(Object previous) {
            if (previous != null) {
                handle(previous, HangupSignal.class.getClassLoader(), null);
            }
        }

        /** Installs {@code handler}, or a proxy running {@code action} when it is null; returns the previous. */
        private static Object handle(Object handler, ClassLoader loader, Runnable action) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal", true, loader);
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler", true, loader);
                Object installed = handler != null ? handler : Proxy.newProxyInstance(loader,
                        new Class<?>[] {handlerClass}, (proxy, method, args) -> switch (method.getName()) {
                            case "handle" -> {
                                action.run();
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> "Portcullis SIGHUP handler";
                        });
                Object signal = signalClass.getConstructor(String.class).newInstance(HANGUP);
                return signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, installed);
            } catch (InvocationTargetException e) {
                // Signal.handle throws IllegalArgumentException for a signal the platform lacks or the JVM keeps.
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new UnsupportedOperationException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new UnsupportedOperationException("sun.misc.Signal is not available", e);
            }
        }
    }
}
