package io.portcullis.session;

import io.portcullis.registry.Registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps sessions in memory only: they are lost on restart. Thread-safe; changes come under
 * {@link SessionRegistry}'s lock, so the two maps agree whenever that lock is free.
 */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, Session> byClientId = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> clientIdsByAuthenticationName = new ConcurrentHashMap<>();

    @Override
    public Session find(String clientId) {
        return byClientId.get(clientId);
    }

    @Override
    public void put(Session session) {
        Session previous = byClientId.put(session.clientId(), session);
        if (previous != null) {
            unindex(previous);
        }
        clientIdsByAuthenticationName
                .computeIfAbsent(Registry.foldCase(session.authenticationName()), k -> ConcurrentHashMap.newKeySet())
                .add(session.clientId());
    }

    @Override
    public boolean remove(Session session) {
        if (!byClientId.remove(session.clientId(), session)) {
            return false;
        }
        unindex(session);
        return true;
    }

    private void unindex(Session session) {
        String key = Registry.foldCase(session.authenticationName());
        Set<String> ids = clientIdsByAuthenticationName.get(key);
        if (ids != null) {
            ids.remove(session.clientId());
            if (ids.isEmpty()) {
                clientIdsByAuthenticationName.remove(key);
            }
        }
    }

    @Override
    public int countByAuthenticationName(String authenticationName) {
        Set<String> ids = clientIdsByAuthenticationName.get(Registry.foldCase(authenticationName));
        return ids == null ? 0 : ids.size();
    }

    @Override
    public int size() {
        return byClientId.size();
    }

    @Override
    public Collection<Session> all() {
        return List.copyOf(byClientId.values());
    }
}
