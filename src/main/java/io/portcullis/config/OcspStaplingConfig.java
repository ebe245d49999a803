package io.portcullis.config;

import java.net.URI;

/**
 * OCSP stapling of the server's own certificate ({@code tls.ocspStapling}).
 *
 * @param enabled   staple an OCSP answer for the server certificate into handshakes that ask for one
 * @param responder the responder to ask; {@code null} means the one in the server certificate's AIA
 */
public record OcspStaplingConfig(boolean enabled, URI responder) {
    public static final OcspStaplingConfig DISABLED = new OcspStaplingConfig(false, null);
}
