package io.portcullis.admin.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.auth.TrustSeparation;
import io.portcullis.config.ConfigProblem;
import io.portcullis.config.RegistryEntries;
import io.portcullis.config.SyntaxCheck;
import io.portcullis.logging.LogText;
import io.portcullis.persistence.StoreException;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.registry.TopicSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes the effective registry: the resources the configuration file declares plus those made through
 * the admin API. The file wins a name clash: the API copy stays stored but shadowed, with a WARN. Each
 * composition is checked as a whole by the configuration loader's own rules ({@link RegistryEntries#read}:
 * field rules, uniqueness, authentication names ignoring case, query and template syntax, binding
 * references). An API-made resource that a new file leaves without a footing (a binding to a group the
 * file no longer declares, say) is kept stored but not in effect, with a WARN that says why; it returns to
 * effect once it fits again.
 *
 * <p>An API change is checked strictly instead: it is refused ({@link ChangeRejected}) when it breaks a
 * rule or would take another resource out of effect. An accepted change is stored, then swapped in with
 * one {@link RegistryHolder#replace}, so live sessions are re-evaluated exactly as after a file edit. The
 * configuration reloader applies file edits through {@link #applyConfiguration}.
 *
 * <p>Threads: one writer at a time; a lock serializes API changes and configuration reloads, which block
 * on validation and on the store (call them off the event loops). {@link #current} and the holder are read
 * lock-free from any thread.
 */
public final class RegistryComposer {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryComposer.class);
    private static final String SOURCE = "admin API";
    private static final Pattern ENTRY_KEY = Pattern.compile(
            "^(caCertificates|clients|clientGroups|topicSpaces|permissionBindings)\\[(\\d+)](?:\\.(.*))?$");
    private static final Pattern ENTRY_REFERENCE = Pattern.compile(
            "(caCertificates|clients|clientGroups|topicSpaces|permissionBindings)\\[(\\d+)]");

    /** Builds the entry a change stores from the resource as it is now ({@code null}: it does not exist). */
    @FunctionalInterface
    public interface EntryBuilder {
        ObjectNode build(ResourceView existing) throws ChangeRejected;
    }

    /** An accepted change: the resource as it now is, and whether it was created. */
    public record Applied(ResourceView view, boolean created) {
    }

    private final RegistryHolder holder;
    private final ApiResourceStore store;
    private final SyntaxCheck queryCheck;
    private final SyntaxCheck templateCheck;
    private final ReentrantLock writer = new ReentrantLock();
    /** Guarded by {@code writer}: the registry the configuration file declares. */
    private Registry fileRegistry;
    private volatile Composition current;
    /** The admin CA certificates, never registered for devices; none until {@link #reserveForAdmin}. */
    private volatile Supplier<Collection<X509Certificate>> adminCas = List::of;

    private RegistryComposer(RegistryHolder holder, Registry fileRegistry, ApiResourceStore store,
                             SyntaxCheck queryCheck, SyntaxCheck templateCheck) {
        this.holder = Objects.requireNonNull(holder, "holder");
        this.fileRegistry = Objects.requireNonNull(fileRegistry, "fileRegistry");
        this.store = Objects.requireNonNull(store, "store");
        this.queryCheck = Objects.requireNonNull(queryCheck, "queryCheck");
        this.templateCheck = Objects.requireNonNull(templateCheck, "templateCheck");
    }

    /** Makes later changes refuse a CA certificate that {@code adminCas} holds (the current admin CAs). */
    public void reserveForAdmin(Supplier<Collection<X509Certificate>> adminCas) {
        this.adminCas = Objects.requireNonNull(adminCas, "adminCas");
    }

    /**
     * Loads the stored API resources, composes them with the file's registry and swaps the result into
     * {@code holder}. Call at start-up, after the store is recovered and before any listener binds.
     */
    public static RegistryComposer open(RegistryHolder holder, Registry fileRegistry, ApiResourceStore store,
                                        SyntaxCheck queryCheck, SyntaxCheck templateCheck) throws StoreException {
        RegistryComposer composer = new RegistryComposer(holder, fileRegistry, store, queryCheck, templateCheck);
        List<StoredResource> stored = store.load();
        if (!store.isDurable()) {
            LOG.info("Registry resources made through the admin API are kept in memory (storage mode memory):"
                    + " they last until the broker stops");
        }
        Composition composition = composer.compose(fileRegistry, stored);
        composer.warnAboutSetAside(null, composition);
        composer.current = composition;
        holder.replace(composition.registry());
        LOG.info("Registry composed: fileResources={} apiResources={} shadowed={} inactive={}",
                count(fileRegistry), stored.size(), composition.shadowed().size(), composition.inactive().size());
        return composer;
    }

    /** A composer over a holder whose snapshot is all file-declared, with nothing made through the API. */
    public static RegistryComposer fileOnly(RegistryHolder holder, SyntaxCheck queryCheck,
                                            SyntaxCheck templateCheck) {
        RegistryComposer composer = new RegistryComposer(holder, holder.current(), ApiResourceStore.inMemory(),
                queryCheck, templateCheck);
        composer.current = composer.compose(holder.current(), List.of());
        return composer;
    }

    public RegistryHolder holder() {
        return holder;
    }

    /** The composition in effect. Lock-free. */
    public Composition current() {
        return current;
    }

    /**
     * Makes {@code nextFileRegistry} the file-declared part, composes it with the API resources, and swaps
     * the result in when {@code beforeSwap} (given the running and the next snapshot) says so; it runs under
     * the writer lock, so no API change slips between its look and the swap. Returns whether it swapped.
     */
    public boolean applyConfiguration(Registry nextFileRegistry, BiPredicate<Registry, Registry> beforeSwap) {
        writer.lock();
        try {
            Composition previous = current;
            Composition next = compose(nextFileRegistry, previous.apiResources());
            fileRegistry = nextFileRegistry;
            warnAboutSetAside(previous, next);
            current = next;
            if (!beforeSwap.test(holder.current(), next.registry())) {
                return false;
            }
            holder.replace(next.registry());
            return true;
        } finally {
            writer.unlock();
        }
    }

    /**
     * Creates or replaces an API-made resource: checks the precondition against the resource as it is,
     * builds its entry, validates the whole registry with it, stores it and swaps the new snapshot in.
     *
     * @throws ChangeRejected when refused; nothing was stored or changed
     * @throws StoreException when the store could not write it; nothing was changed
     */
    public Applied put(ResourceKind kind, String name, EntryBuilder builder, Precondition precondition)
            throws ChangeRejected, StoreException {
        writer.lock();
        try {
            Composition now = current;
            ResourceView existing = now.view(kind, name).orElse(null);
            requireApiMade(existing);
            if (!precondition.holds(existing == null ? null : existing.etag())) {
                throw preconditionFailed(kind, name, existing, precondition);
            }
            ObjectNode entry = builder.build(existing).deepCopy();
            entry.put("name", name);
            checkConflicts(now, kind, name, entry, existing);

            List<StoredResource> others = activeApiResources(now, kind, name);
            StoredResource candidate = StoredResource.of(kind, entry);
            List<StoredResource> checked = new ArrayList<>(others);
            checked.add(candidate);
            Validation validation = validate(fileRegistry, checked);
            List<FieldProblem> own = validation.problemsOf(candidate);
            if (!own.isEmpty()) {
                throw new ChangeRejected(ChangeRejected.Reason.VALIDATION_FAILED, own.size() == 1 ? "1 field is"
                        + " invalid" : own.size() + " fields are invalid", own);
            }
            requireNoneTakenOutOfEffect(validation, others);

            StoredResource stored = StoredResource.of(kind, validation.normalizedEntry(candidate));
            List<StoredResource> api = new ArrayList<>(now.apiResources());
            api.removeIf(resource -> resource.kind() == kind && resource.name().equals(name));
            api.add(stored);
            Composition next = compose(fileRegistry, api);
            requireNoAdminCa(next.registry(), kind, name);
            store.save(stored);
            swap(now, next);
            return new Applied(current.view(kind, name).orElseThrow(), existing == null);
        } finally {
            writer.unlock();
        }
    }

    /**
     * Deletes an API-made resource.
     *
     * @throws ChangeRejected when there is none, it is file-declared, the precondition fails, or other
     *                        resources need it; nothing was changed
     * @throws StoreException when the store could not delete it; nothing was changed
     */
    public void delete(ResourceKind kind, String name, Precondition precondition)
            throws ChangeRejected, StoreException {
        writer.lock();
        try {
            Composition now = current;
            ResourceView existing = now.view(kind, name).orElseThrow(() -> new ChangeRejected(
                    ChangeRejected.Reason.NOT_FOUND, "no " + kind.collection() + " resource is named '" + name + "'"));
            requireApiMade(existing);
            if (!precondition.holds(existing.etag())) {
                throw preconditionFailed(kind, name, existing, precondition);
            }
            if (existing.isActive()) {
                List<StoredResource> others = activeApiResources(now, kind, name);
                requireNoneTakenOutOfEffect(validate(fileRegistry, others), others);
            }
            StoredResource stored = now.apiResources().stream()
                    .filter(resource -> resource.kind() == kind && resource.name().equals(name))
                    .findFirst().orElseThrow();
            store.remove(stored);
            List<StoredResource> api = new ArrayList<>(now.apiResources());
            api.remove(stored);
            swap(now, compose(fileRegistry, api));
        } finally {
            writer.unlock();
        }
    }

    private void swap(Composition previous, Composition next) {
        warnAboutSetAside(previous, next);
        current = next;
        holder.replace(next.registry());
    }

    /**
     * Refuses a CA certificate that is also an admin CA ({@code admin.caCertificates}): the admin CA is never
     * trusted for MQTT. The configuration file's own entries are checked when it is loaded.
     */
    private void requireNoAdminCa(Registry next, ResourceKind kind, String name) throws ChangeRejected {
        CaCertificate ca = next.caCertificates().get(name);
        if (kind != ResourceKind.CA_CERTIFICATES || ca == null) {
            return;
        }
        String problem = null;
        for (X509Certificate adminCa : adminCas.get()) {
            if (adminCa.equals(ca.certificate())) {
                problem = "is an admin CA certificate (admin.caCertificates); the admin CA is never trusted for MQTT";
            } else if (problem == null && TrustSeparation.isIssuedBy(adminCa, ca.certificate())) {
                problem = "issued an admin CA certificate (admin.caCertificates), whose certificates would then reach"
                        + " device trust";
            }
        }
        if (problem == null) {
            return;
        }
        throw new ChangeRejected(ChangeRejected.Reason.VALIDATION_FAILED, "1 field is invalid",
                List.of(new FieldProblem(kind, name, "certificate", problem, "register the CA that issues device"
                        + " certificates; issue admin certificates from a separate CA")));
    }

    private static void requireApiMade(ResourceView existing) throws ChangeRejected {
        if (existing != null && existing.origin() == Origin.CONFIGURATION) {
            throw new ChangeRejected(ChangeRejected.Reason.DECLARED_IN_CONFIGURATION, existing.kind().collection()
                    + " '" + existing.name() + "' is declared in the configuration file and is read-only through"
                    + " the API; change it in the file");
        }
    }

    private static ChangeRejected preconditionFailed(ResourceKind kind, String name, ResourceView existing,
                                                     Precondition precondition) {
        String resource = kind.noun() + " '" + name + "'";
        String message;
        if (existing == null) {
            message = resource + " does not exist, and the request's If-Match needs it to";
        } else if (precondition.ifNoneMatchAny()) {
            message = resource + " already exists; If-None-Match: * only creates";
        } else {
            message = resource + " has entity tag " + existing.etag() + ", which the request's If-Match does not"
                    + " accept; read it again and retry";
        }
        return new ChangeRejected(ChangeRejected.Reason.PRECONDITION_FAILED, message);
    }

    /** The conflicts the API reports as 409 rather than as invalid fields. */
    private static void checkConflicts(Composition now, ResourceKind kind, String name, ObjectNode entry,
                                       ResourceView existing) throws ChangeRejected {
        // Client names are case-sensitive; the other kinds' names are unique ignoring case (SPEC 3).
        if (kind != ResourceKind.CLIENTS) {
            for (ResourceView other : now.views(kind).values()) {
                if (!other.name().equals(name) && other.name().equalsIgnoreCase(name)) {
                    throw conflict(kind, name, "name", "the name is already used by " + kind.collection() + " '"
                            + other.name() + "' (names compare ignoring case)", "choose another name");
                }
            }
            return;
        }
        JsonNode given = entry.get("authenticationName");
        String authenticationName = given != null && given.isTextual() ? given.asText() : name;
        if (existing != null) {
            String previous = existing.entry().path("authenticationName").asText(existing.name());
            if (!previous.equals(authenticationName)) {
                throw conflict(kind, name, "authenticationName", "the authentication name cannot change (it is '"
                        + previous + "')", "delete the client and create it again to change it");
            }
        }
        Client holder = now.registry().clientByAuthenticationName(authenticationName);
        if (holder != null && !holder.name().equals(name)) {
            throw conflict(kind, name, "authenticationName", "the authentication name '" + authenticationName
                    + "' is already used by client '" + holder.name() + "' (compared ignoring case)",
                    "give each client its own authentication name");
        }
    }

    private static ChangeRejected conflict(ResourceKind kind, String name, String field, String problem,
                                           String fix) {
        return new ChangeRejected(ChangeRejected.Reason.CONFLICT, problem,
                List.of(new FieldProblem(kind, name, field, problem, fix)));
    }

    private static void requireNoneTakenOutOfEffect(Validation validation, List<StoredResource> others)
            throws ChangeRejected {
        List<FieldProblem> broken = new ArrayList<>();
        for (StoredResource other : others) {
            broken.addAll(validation.problemsOf(other));
        }
        if (!broken.isEmpty()) {
            FieldProblem first = broken.get(0);
            throw new ChangeRejected(ChangeRejected.Reason.CONFLICT, "the change would leave " + first.kind()
                    .collection() + " '" + first.name() + "' invalid: " + first.problem(), broken);
        }
    }

    private static List<StoredResource> activeApiResources(Composition now, ResourceKind kind, String name) {
        Set<String> inactive = new HashSet<>();
        now.inactive().forEach(view -> inactive.add(view.kind().collection() + "/" + view.name()));
        now.shadowed().forEach(resource -> inactive.add(resource.key()));
        List<StoredResource> active = new ArrayList<>();
        for (StoredResource resource : now.apiResources()) {
            boolean isChanged = resource.kind() == kind && resource.name().equals(name);
            if (!isChanged && !inactive.contains(resource.key())) {
                active.add(resource);
            }
        }
        return active;
    }

    // ---------------------------------------------------------------- composing

    /**
     * The composition of a file registry and API resources: shadowed ones set apart, then, until the whole
     * validates, the API resources with problems set aside. Validation happens only when there are API
     * resources; the file's own registry was validated by the loader.
     */
    Composition compose(Registry file, List<StoredResource> api) {
        List<StoredResource> shadowed = new ArrayList<>();
        List<StoredResource> active = new ArrayList<>();
        Map<ResourceKind, Set<String>> declared = declaredNames(file);
        List<StoredResource> sorted = new ArrayList<>(api);
        sorted.sort(Comparator.comparing(StoredResource::kind).thenComparing(StoredResource::name));
        for (StoredResource resource : sorted) {
            (declared.get(resource.kind()).contains(resource.name()) ? shadowed : active).add(resource);
        }
        Map<String, String> inactive = new LinkedHashMap<>();
        Validation validation = null;
        while (!active.isEmpty()) {
            validation = validate(file, active);
            List<StoredResource> failing = new ArrayList<>();
            for (StoredResource resource : active) {
                List<FieldProblem> problems = validation.problemsOf(resource);
                if (!problems.isEmpty()) {
                    failing.add(resource);
                    FieldProblem first = problems.get(0);
                    inactive.put(resource.key(), (first.field().isEmpty() ? "" : first.field() + ": ")
                            + first.problem());
                }
            }
            if (failing.isEmpty()) {
                break;
            }
            active.removeAll(failing);
            validation = null;
        }

        List<ResourceView> views = new ArrayList<>();
        fileEntries(file).forEach((kind, entries) -> entries.forEach((name, entry) ->
                views.add(new ResourceView(kind, name, Origin.CONFIGURATION, entry, StoredResource.etagOf(entry),
                        null))));
        for (StoredResource resource : sorted) {
            if (!shadowed.contains(resource)) {
                views.add(new ResourceView(resource.kind(), resource.name(), Origin.API, resource.entry(),
                        resource.etag(), inactive.get(resource.key())));
            }
        }
        Registry registry = validation == null ? file : validation.registryWith(file, active);
        return new Composition(registry, views, api, shadowed);
    }

    private void warnAboutSetAside(Composition previous, Composition next) {
        Set<String> wasShadowed = new HashSet<>();
        Map<String, String> wasInactive = new LinkedHashMap<>();
        if (previous != null) {
            previous.shadowed().forEach(resource -> wasShadowed.add(resource.key()));
            previous.inactive().forEach(view -> wasInactive.put(view.kind().collection() + "/" + view.name(),
                    view.inactiveReason()));
        }
        for (StoredResource resource : next.shadowed()) {
            if (!wasShadowed.contains(resource.key())) {
                LOG.warn("API-made registry resource shadowed by the configuration file, the file's entry applies:"
                        + " resource={}", LogText.token(resource.key()));
            }
        }
        for (ResourceView view : next.inactive()) {
            String key = view.kind().collection() + "/" + view.name();
            if (!view.inactiveReason().equals(wasInactive.get(key))) {
                LOG.warn("API-made registry resource not in effect, it does not fit the registry: resource={}"
                        + " reason=\"{}\"", LogText.token(key), LogText.safe(view.inactiveReason()));
            }
        }
    }

    private static int count(Registry registry) {
        return registry.caCertificates().size() + registry.clients().size() + registry.clientGroups().size()
                + registry.topicSpaces().size() + registry.permissionBindings().size();
    }

    private static Map<ResourceKind, Set<String>> declaredNames(Registry file) {
        Map<ResourceKind, Set<String>> names = new EnumMap<>(ResourceKind.class);
        fileEntries(file).forEach((kind, entries) -> names.put(kind, entries.keySet()));
        return names;
    }

    /** The file's resources as configuration entries, by kind and name, in the file's order. */
    private static Map<ResourceKind, LinkedHashMap<String, ObjectNode>> fileEntries(Registry file) {
        Map<ResourceKind, LinkedHashMap<String, ObjectNode>> entries = new EnumMap<>(ResourceKind.class);
        entries.put(ResourceKind.CA_CERTIFICATES, index(file.caCertificates(), RegistryEntries::caCertificate));
        entries.put(ResourceKind.CLIENTS, index(file.clients(), RegistryEntries::client));
        entries.put(ResourceKind.CLIENT_GROUPS, index(file.clientGroups(), RegistryEntries::clientGroup));
        entries.put(ResourceKind.TOPIC_SPACES, index(file.topicSpaces(), RegistryEntries::topicSpace));
        entries.put(ResourceKind.PERMISSION_BINDINGS,
                index(file.permissionBindings(), RegistryEntries::permissionBinding));
        return entries;
    }

    private static <T> LinkedHashMap<String, ObjectNode> index(Map<String, T> resources,
                                                               Function<T, ObjectNode> entry) {
        LinkedHashMap<String, ObjectNode> entries = new LinkedHashMap<>();
        resources.forEach((name, resource) -> entries.put(name, entry.apply(resource)));
        return entries;
    }

    /** Validates the file's resources followed by {@code api} (in that order within each section). */
    private Validation validate(Registry file, List<StoredResource> api) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        Map<ResourceKind, List<Slot>> slots = new EnumMap<>(ResourceKind.class);
        fileEntries(file).forEach((kind, entries) -> {
            List<Slot> list = new ArrayList<>();
            entries.forEach((name, entry) -> list.add(new Slot(name, null)));
            slots.put(kind, list);
            entries.values().forEach(tree.withArray(kind.collection())::add);
        });
        for (StoredResource resource : api) {
            slots.get(resource.kind()).add(new Slot(resource.name(), resource));
            tree.withArray(resource.kind().collection()).add(resource.entry());
        }
        RegistryEntries.Read read = RegistryEntries.read(tree, queryCheck, templateCheck, SOURCE);
        return new Validation(read, slots);
    }

    /** An entry's place in the validated tree: its name, and the API resource it is ({@code null}: the file's). */
    private record Slot(String name, StoredResource resource) {
    }

    /** What one validation found, with each problem attributed to the resource whose entry has it. */
    private static final class Validation {
        private final RegistryEntries.Read read;
        private final Map<StoredResource, List<FieldProblem>> problems = new LinkedHashMap<>();

        Validation(RegistryEntries.Read read, Map<ResourceKind, List<Slot>> slots) {
            this.read = read;
            for (ConfigProblem problem : read.problems()) {
                Matcher key = ENTRY_KEY.matcher(problem.key());
                if (!key.matches()) {
                    continue;
                }
                ResourceKind kind = ResourceKind.ofCollection(key.group(1)).orElseThrow();
                Slot slot = slots.get(kind).get(Integer.parseInt(key.group(2)));
                if (slot.resource() == null) {
                    // The loader accepted the file on its own, and file entries come first in every section, so
                    // a problem here would be the loader's to report; the file's resources are not set aside.
                    LOG.debug("Configuration entry has a problem in the composed registry: key={} problem=\"{}\"",
                            LogText.token(problem.key()), LogText.safe(problem.problem()));
                    continue;
                }
                String field = key.group(3) == null ? "" : key.group(3);
                problems.computeIfAbsent(slot.resource(), r -> new ArrayList<>()).add(new FieldProblem(kind,
                        slot.name(), field, named(problem.problem(), slots), named(problem.fix(), slots)));
            }
        }

        /** Replaces tree positions such as {@code clients[3]} in a text with {@code clients/<name>}. */
        private static String named(String text, Map<ResourceKind, List<Slot>> slots) {
            Matcher reference = ENTRY_REFERENCE.matcher(text);
            StringBuilder named = new StringBuilder();
            while (reference.find()) {
                List<Slot> list = slots.get(ResourceKind.ofCollection(reference.group(1)).orElseThrow());
                int index = Integer.parseInt(reference.group(2));
                String replacement = index < list.size() ? reference.group(1) + "/" + list.get(index).name()
                        : reference.group();
                reference.appendReplacement(named, Matcher.quoteReplacement(replacement));
            }
            reference.appendTail(named);
            return named.toString();
        }

        List<FieldProblem> problemsOf(StoredResource resource) {
            return problems.getOrDefault(resource, List.of());
        }

        /** The entry of an API resource as the loader read it, defaults written out. */
        ObjectNode normalizedEntry(StoredResource resource) {
            String name = resource.name();
            return switch (resource.kind()) {
                case CA_CERTIFICATES -> RegistryEntries.caCertificate(find(read.caCertificates(),
                        CaCertificate::name, name));
                case CLIENTS -> RegistryEntries.client(find(read.clients(), Client::name, name));
                case CLIENT_GROUPS -> RegistryEntries.clientGroup(find(read.clientGroups(), ClientGroup::name, name));
                case TOPIC_SPACES -> RegistryEntries.topicSpace(find(read.topicSpaces(), TopicSpace::name, name));
                case PERMISSION_BINDINGS -> RegistryEntries.permissionBinding(find(read.permissionBindings(),
                        PermissionBinding::name, name));
            };
        }

        /** The file's resources as they are, then the API resources in effect as the loader read them. */
        Registry registryWith(Registry file, List<StoredResource> active) {
            Map<ResourceKind, Set<String>> apiNames = new EnumMap<>(ResourceKind.class);
            for (ResourceKind kind : ResourceKind.values()) {
                apiNames.put(kind, new HashSet<>());
            }
            active.forEach(resource -> apiNames.get(resource.kind()).add(resource.name()));
            return new Registry(file.settings(),
                    join(file.caCertificates(), read.caCertificates(), CaCertificate::name,
                            apiNames.get(ResourceKind.CA_CERTIFICATES)),
                    join(file.clients(), read.clients(), Client::name, apiNames.get(ResourceKind.CLIENTS)),
                    join(file.clientGroups(), read.clientGroups(), ClientGroup::name,
                            apiNames.get(ResourceKind.CLIENT_GROUPS)),
                    join(file.topicSpaces(), read.topicSpaces(), TopicSpace::name,
                            apiNames.get(ResourceKind.TOPIC_SPACES)),
                    join(file.permissionBindings(), read.permissionBindings(), PermissionBinding::name,
                            apiNames.get(ResourceKind.PERMISSION_BINDINGS)));
        }

        private static <T> List<T> join(Map<String, T> fromFile, List<T> read, Function<T, String> name,
                                        Set<String> apiNames) {
            List<T> joined = new ArrayList<>(fromFile.values());
            read.stream().filter(resource -> apiNames.contains(name.apply(resource))).forEach(joined::add);
            return joined;
        }

        private static <T> T find(List<T> resources, Function<T, String> name, String wanted) {
            return resources.stream().filter(resource -> name.apply(resource).equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("validated resource missing: " + wanted));
        }
    }
}
