package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.Permission;
import io.portcullis.registry.Registry;

import java.util.BitSet;
import java.util.Objects;

/**
 * The {@link PermissionEvaluator} of SPEC 3.5. For a client it evaluates the queries of the groups
 * that bindings name (plus {@code $all}), and returns {@link ClientPermissions} backed by a trie of
 * the applicable templates per direction. Tries are shared by clients whose groups select the same
 * bindings of that direction; variables are compared against each client's own values, so a check never scans
 * templates of bindings that do not apply.
 *
 * <p>Thread-safe; call from any thread. Parsing a snapshot's queries and templates happens once per
 * snapshot; the two most recent snapshots are kept so that a registry swap does not make callers
 * still holding the previous one recompile.
 */
public final class RegistryPermissionEvaluator implements PermissionEvaluator {
    private final Object compileLock = new Object();
    private volatile CompiledRegistry latest;
    private volatile CompiledRegistry previous;

    @Override
    public ClientPermissions permissionsFor(Client client, Registry registry) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(registry, "registry");
        if (!client.isEnabled()) {
            return DisabledPermissions.INSTANCE;
        }
        CompiledRegistry compiled = compiled(registry);
        BitSet applicable = compiled.applicableBindings(client);
        return new ResolvedPermissions(
                ResolvedPermissions.Side.resolve(compiled.index(applicable, Permission.Publisher), client),
                ResolvedPermissions.Side.resolve(compiled.index(applicable, Permission.Subscriber), client));
    }

    private CompiledRegistry compiled(Registry registry) {
        CompiledRegistry current = latest;
        if (current != null && current.registry() == registry) {
            return current;
        }
        CompiledRegistry older = previous;
        if (older != null && older.registry() == registry) {
            return older;
        }
        synchronized (compileLock) {
            if (latest != null && latest.registry() == registry) {
                return latest;
            }
            CompiledRegistry compiled = new CompiledRegistry(registry);
            previous = latest;
            latest = compiled;
            return compiled;
        }
    }
}
