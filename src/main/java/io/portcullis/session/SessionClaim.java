package io.portcullis.session;

import java.util.Objects;

/** The answer of {@link SessionRegistry#claim}: a session for the new connection, or why there is none. */
public sealed interface SessionClaim {

    /**
     * The connection may have {@code session}.
     *
     * @param session   the session to attach: a new one, or the existing one when {@code resumed}
     * @param displaced an existing session of the same name that Clean Start replaces; the caller ends it
     *                  (closing its connection with 0x8E) before attaching {@code session}
     * @param resumed   whether {@code session} existed before: its connection, if any, must be taken over
     */
    record Granted(Session session, Session displaced, boolean resumed) implements SessionClaim {
        public Granted {
            Objects.requireNonNull(session, "session");
        }
    }

    /** The connection may not have the session; {@code reason} is safe to tell the client. */
    record Refused(String reason) implements SessionClaim {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
