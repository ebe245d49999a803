package io.portcullis.session;

import io.netty.util.concurrent.EventExecutor;
import io.portcullis.registry.Registry;

import java.util.Collection;
import java.util.Objects;

/**
 * Decides which session a CONNECT gets (SPEC 2.4): a session name (ClientId) belongs to the
 * authentication name that created it, compared case-insensitively; another name is refused; the same
 * name resumes or, with Clean Start, replaces it; and each name holds at most a set number of sessions,
 * connected or not. Claims and removals take this registry's lock: they happen once per CONNECT and
 * session end, never on the publish path.
 */
public final class SessionRegistry {
    private final SessionStore store;
    private final SessionServices services;

    public SessionRegistry(SessionStore store, SessionServices services) {
        this.store = Objects.requireNonNull(store, "store");
        this.services = Objects.requireNonNull(services, "services");
    }

    /**
     * Claims the session {@code clientId} for a connection of {@code authenticationName} on
     * {@code executor}. A new session is owned by {@code executor} from the start.
     */
    public synchronized SessionClaim claim(String clientId, String authenticationName, int maximumSessionsPerName,
                                           boolean cleanStart, EventExecutor executor) {
        Session existing = store.find(clientId);
        if (existing != null && existing.isEnded()) {
            store.remove(existing);
            existing = null;
        }
        if (existing != null && !sameName(existing.authenticationName(), authenticationName)) {
            return new SessionClaim.Refused("the session name is in use by another authentication name");
        }
        if (existing == null) {
            if (store.countByAuthenticationName(authenticationName) >= maximumSessionsPerName) {
                return new SessionClaim.Refused("the authentication name already holds its maximum of "
                        + maximumSessionsPerName + " sessions");
            }
            Session created = new Session(clientId, authenticationName, executor, services, this);
            store.put(created);
            return new SessionClaim.Granted(created, null, false);
        }
        if (cleanStart) {
            // Clean Start ends the old session and starts a new one under the same name [MQTT-3.1.2-4].
            Session created = new Session(clientId, authenticationName, executor, services, this);
            store.put(created);
            return new SessionClaim.Granted(created, existing, false);
        }
        return new SessionClaim.Granted(existing, null, true);
    }

    /**
     * Recovery at start-up, before any connection: puts back a session read from the durable store,
     * owned by {@code executor}, and starts its expiry and delayed Will there. {@code will} publishes the
     * stored Will (may be null when there is none).
     */
    public synchronized Session restore(RecoveredSession recovered, EventExecutor executor, Runnable will) {
        Session session = new Session(recovered.clientId(), recovered.stored().authenticationName(), executor,
                services, this);
        session.restore(recovered);
        store.put(session);
        session.runOnOwner(() -> session.resumeOffline(recovered.stored(), will));
        return session;
    }

    private static boolean sameName(String a, String b) {
        return Registry.foldCase(a).equals(Registry.foldCase(b));
    }

    synchronized boolean remove(Session session) {
        return store.remove(session);
    }

    /** The current session of a name, connected or not, or {@code null}. */
    public Session find(String clientId) {
        return store.find(clientId);
    }

    public Collection<Session> sessions() {
        return store.all();
    }

    /** How many sessions, connected or not. Lock-free; any thread. */
    public int size() {
        return store.size();
    }

    public int countByAuthenticationName(String authenticationName) {
        return store.countByAuthenticationName(authenticationName);
    }
}
