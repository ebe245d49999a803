package io.portcullis.persistence;

import io.portcullis.routing.Message;
import io.portcullis.session.RecoveredSession;

import java.util.List;

/**
 * What start-up read back from the durable store, after purging what expired while the broker was down.
 *
 * @param sessions     sessions still alive, their queues on disk
 * @param retained     retained messages still alive
 * @param overdueWills Wills of sessions that expired while the broker was down; due now
 */
public record Recovered(List<RecoveredSession> sessions, List<Message> retained, List<OverdueWill> overdueWills,
                        Summary summary) {
    public Recovered {
        sessions = List.copyOf(sessions);
        retained = List.copyOf(retained);
        overdueWills = List.copyOf(overdueWills);
    }

    /** The Will of a session that ended while the broker was down. */
    public record OverdueWill(String clientId, String authenticationName, Message will) {
    }

    /** Counts for the start-up log line. */
    public record Summary(int sessions, long queuedMessages, long inflightMessages, int retainedMessages,
                          int purgedSessions, long purgedMessages, int purgedRetained, long millis) {
    }
}
