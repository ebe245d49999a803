package io.portcullis.admin.composition;

import io.portcullis.registry.Registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One composed state: the effective registry snapshot (file-declared resources, then API-made ones in
 * effect) and the resources the admin API shows, by kind and name, including API-made resources that are
 * stored but not in effect. API resources whose name the configuration file declares are kept apart as
 * shadowed: the API shows the file's entry under that name. Immutable; read from any thread.
 */
public final class Composition {
    private final Registry registry;
    private final Map<ResourceKind, NavigableMap<String, ResourceView>> views;
    private final List<StoredResource> apiResources;
    private final List<StoredResource> shadowed;

    Composition(Registry registry, List<ResourceView> views, List<StoredResource> apiResources,
                List<StoredResource> shadowed) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Map<ResourceKind, NavigableMap<String, ResourceView>> byKind = new EnumMap<>(ResourceKind.class);
        for (ResourceKind kind : ResourceKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        for (ResourceView view : views) {
            byKind.get(view.kind()).put(view.name(), view);
        }
        byKind.replaceAll((kind, map) -> Collections.unmodifiableNavigableMap(map));
        this.views = Collections.unmodifiableMap(byKind);
        this.apiResources = List.copyOf(apiResources);
        this.shadowed = List.copyOf(shadowed);
    }

    /** The snapshot the broker runs with. */
    public Registry registry() {
        return registry;
    }

    public Optional<ResourceView> view(ResourceKind kind, String name) {
        return Optional.ofNullable(views.get(kind).get(name));
    }

    /** Every resource of a kind the API shows, sorted by name (ordinal order of the characters). */
    public NavigableMap<String, ResourceView> views(ResourceKind kind) {
        return views.get(kind);
    }

    /** Every API-made resource stored, in effect or not, shadowed included. */
    public List<StoredResource> apiResources() {
        return apiResources;
    }

    /** API-made resources hidden by a file entry of the same name. */
    public List<StoredResource> shadowed() {
        return shadowed;
    }

    /** API-made resources shown but not in effect, with their reason. */
    public List<ResourceView> inactive() {
        List<ResourceView> inactive = new ArrayList<>();
        for (NavigableMap<String, ResourceView> map : views.values()) {
            map.values().stream().filter(view -> !view.isActive()).forEach(inactive::add);
        }
        return inactive;
    }
}
