package io.portcullis.protocol;

import io.portcullis.auth.AuthenticationResult;
import io.portcullis.auth.ConnectAuthenticator;
import io.portcullis.auth.ConnectCredentials;
import io.portcullis.auth.Identity;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.registry.Client;
import io.portcullis.registry.Registry;

import java.time.Instant;

/**
 * Authenticates by Username alone against the registry: an enabled client whose authentication name
 * is the Username passes. Usernames "bad name" and "backend-down" produce 0x86 and 0x88.
 */
final class FakeAuthenticator implements ConnectAuthenticator {
    volatile Instant certificateNotAfter = Instant.parse("2100-01-01T00:00:00Z");

    @Override
    public AuthenticationResult authenticate(ConnectCredentials credentials, Registry registry) {
        String name = credentials.username();
        if ("bad name".equals(name)) {
            return refused(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "malformed user name", null);
        }
        if ("backend-down".equals(name)) {
            return refused(ReasonCode.SERVER_UNAVAILABLE, "authentication back-end unreachable", name);
        }
        Client client = name == null ? null : registry.clientByAuthenticationName(name);
        if (client == null || !client.isEnabled()) {
            return refused(ReasonCode.NOT_AUTHORIZED, "unknown or disabled client " + name, name);
        }
        return new AuthenticationResult.Authenticated(new Identity(client, "CN=" + name, "01",
                "AA11", certificateNotAfter));
    }

    private static AuthenticationResult refused(int code, String logReason, String authenticationName) {
        return new AuthenticationResult.Refused(code, "not authorized: check the client certificate and name",
                logReason, authenticationName, "CN=someone", "BB22");
    }
}
