package io.portcullis.broker;

import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What differs between two registry snapshots, section by section (CA certificates, clients, client
 * groups, topic spaces, permission bindings, namespace settings): the names added, removed and changed.
 * Used for the audit line of a configuration reload. Immutable and pure.
 */
record RegistryChanges(List<Section> sections) {
    /** Names listed per kind in the audit line; beyond this only the count is given. */
    private static final int NAMES_SHOWN = 10;

    /** One section's changes; {@code changed} names entries (or, for namespace, settings) whose value differs. */
    record Section(String name, List<String> added, List<String> removed, List<String> changed) {
        Section {
            Objects.requireNonNull(name, "name");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    RegistryChanges {
        sections = List.copyOf(sections);
    }

    static RegistryChanges between(Registry previous, Registry next) {
        List<Section> sections = new ArrayList<>();
        add(sections, compare("caCertificates", previous.caCertificates(), next.caCertificates()));
        add(sections, compare("clients", previous.clients(), next.clients()));
        add(sections, compare("clientGroups", previous.clientGroups(), next.clientGroups()));
        add(sections, compare("topicSpaces", previous.topicSpaces(), next.topicSpaces()));
        add(sections, compare("permissionBindings", previous.permissionBindings(), next.permissionBindings()));
        add(sections, namespace(previous.settings(), next.settings()));
        return new RegistryChanges(sections);
    }

    boolean isEmpty() {
        return sections.isEmpty();
    }

    /** The section, or an empty one when nothing in it changed. */
    Section section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElse(new Section(name, List.of(), List.of(), List.of()));
    }

    /** For example {@code clients: added=1 [device-9], changed=1 [device-2]; permissionBindings: removed=1 [x]}. */
    String describe() {
        if (sections.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Section section : sections) {
            List<String> kinds = new ArrayList<>();
            kind(kinds, "added", section.added());
            kind(kinds, "removed", section.removed());
            kind(kinds, "changed", section.changed());
            parts.add(section.name() + ": " + String.join(", ", kinds));
        }
        return String.join("; ", parts);
    }

    private static void kind(List<String> kinds, String label, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<String> shown = names.size() <= NAMES_SHOWN ? names : names.subList(0, NAMES_SHOWN);
        String more = names.size() > NAMES_SHOWN ? " and " + (names.size() - NAMES_SHOWN) + " more" : "";
        kinds.add(label + "=" + names.size() + " " + shown + more);
    }

    private static void add(List<Section> sections, Section section) {
        if (!section.isEmpty()) {
            sections.add(section);
        }
    }

    private static Section compare(String name, Map<String, ?> previous, Map<String, ?> next) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, ?> entry : next.entrySet()) {
            Object before = previous.get(entry.getKey());
            if (before == null) {
                added.add(entry.getKey());
            } else if (!before.equals(entry.getValue())) {
                changed.add(entry.getKey());
            }
        }
        for (String key : previous.keySet()) {
            if (!next.containsKey(key)) {
                removed.add(key);
            }
        }
        return new Section(name, added, removed, changed);
    }

    private static Section namespace(NamespaceSettings previous, NamespaceSettings next) {
        List<String> changed = new ArrayList<>();
        if (!previous.alternativeAuthenticationNameSources().equals(next.alternativeAuthenticationNameSources())) {
            changed.add("alternativeAuthenticationNameSources");
        }
        if (previous.maximumClientSessionsPerAuthenticationName()
                != next.maximumClientSessionsPerAuthenticationName()) {
            changed.add("maximumClientSessionsPerAuthenticationName");
        }
        return new Section("namespace", List.of(), List.of(), changed);
    }
}
