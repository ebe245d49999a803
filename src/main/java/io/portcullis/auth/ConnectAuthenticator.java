package io.portcullis.auth;

import io.portcullis.registry.Registry;

/**
 * Decides who a CONNECT is, from its Username and the handshake's client certificate, against one
 * registry snapshot. Pure and thread-safe; called on the connection's event loop, so it must not block.
 */
public interface ConnectAuthenticator {

    AuthenticationResult authenticate(ConnectCredentials credentials, Registry registry);
}
