package io.portcullis.auth;

import io.portcullis.registry.Client;

import java.time.Instant;
import java.util.Objects;

/**
 * Who an authenticated connection is: the registered client and facts about the certificate it
 * proved itself with. Logged by subject, serial and thumbprint, never as a whole certificate.
 *
 * @param client                the registry entry the connection authenticated as
 * @param certificateSubject    RFC 4514 subject of the handshake's client certificate
 * @param certificateSerial     serial number, hex
 * @param certificateThumbprint upper-case hex SHA-256 of the DER certificate
 * @param certificateNotAfter   when the certificate expires; a live session is ended then
 */
public record Identity(Client client, String certificateSubject, String certificateSerial,
                       String certificateThumbprint, Instant certificateNotAfter) {
    public Identity {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(certificateThumbprint, "certificateThumbprint");
        Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
    }

    /** The authentication name with the casing it was registered with. */
    public String authenticationName() {
        return client.authenticationName();
    }
}
