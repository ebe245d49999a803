package io.portcullis.session;

import java.util.Collection;

/**
 * Where sessions are kept, keyed by session name (MQTT ClientId), with an index by authentication name
 * for the per-name cap. The seam for a durable store: today only {@link InMemorySessionStore} exists;
 * a persistent one would also save each session's subscriptions, queued and in-flight messages and
 * inbound QoS 2 packet ids. Called under {@link SessionRegistry}'s lock for changes; reads are
 * thread-safe.
 */
public interface SessionStore {

    Session find(String clientId);

    /** Adds the session, replacing any with the same ClientId. */
    void put(Session session);

    /** Removes the session if it is the one stored under its ClientId; returns whether it was. */
    boolean remove(Session session);

    /** How many sessions, connected or not, belong to the authentication name (case-insensitive). */
    int countByAuthenticationName(String authenticationName);

    Collection<Session> all();

    /** How many sessions, connected or not; without copying them. */
    int size();
}
