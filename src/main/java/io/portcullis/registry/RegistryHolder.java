package io.portcullis.registry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Holds the current {@link Registry} snapshot. Reads are lock-free from any thread; a replacement
 * swaps the whole snapshot atomically and then tells each listener (old, new) on the caller's thread.
 */
public final class RegistryHolder {
    private final AtomicReference<Registry> current;
    private final List<BiConsumer<Registry, Registry>> listeners = new CopyOnWriteArrayList<>();

    public RegistryHolder(Registry initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public Registry current() {
        return current.get();
    }

    public void replace(Registry next) {
        Registry previous = current.getAndSet(Objects.requireNonNull(next, "next"));
        for (BiConsumer<Registry, Registry> listener : listeners) {
            listener.accept(previous, next);
        }
    }

    /** Registers a listener called with (previous, next) after each replacement. */
    public void onChange(BiConsumer<Registry, Registry> listener) {
        listeners.add(listener);
    }
}
