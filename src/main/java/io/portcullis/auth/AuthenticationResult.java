package io.portcullis.auth;

import java.util.Objects;

/** The outcome of authenticating one CONNECT. */
public sealed interface AuthenticationResult {

    /** The connection is the given identity. */
    record Authenticated(Identity identity) implements AuthenticationResult {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The connection is refused.
     *
     * @param reasonCode   MQTT 5 CONNACK reason code (0x87 Not authorized, 0x86 Bad user name or password);
     *                     the protocol handler maps it to the MQTT 3.1.1 return code
     * @param reasonString for the client: says what to fix without revealing whether a client name exists
     * @param logReason    for the operator log: the precise cause
     * @param authenticationName the authentication name resolved from Username or certificate before the
     *                     refusal, for the log ({@code null} when none was resolved)
     * @param certificateSubject subject of the presented certificate, for the log ({@code null} if none)
     * @param certificateThumbprint SHA-256 thumbprint of the presented certificate, for the log
     */
    record Refused(int reasonCode, String reasonString, String logReason, String authenticationName,
                   String certificateSubject, String certificateThumbprint) implements AuthenticationResult {
    }
}
