package io.portcullis.cli.admin;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A resolved way to reach the admin API: its base address and the files for mutual TLS.
 *
 * @param baseUrl     {@code https://HOST:PORT}, without a path
 * @param certificate the admin certificate chain (PEM, leaf first)
 * @param privateKey  the admin certificate's private key (PEM)
 * @param caFile      the CA certificates to trust for the broker's server certificate; null trusts the
 *                    JDK's default CAs
 */
record AdminEndpoint(URI baseUrl, Path certificate, Path privateKey, Path caFile) {
    AdminEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The absolute address of an API path or a {@code nextLink} (which may be relative). */
    URI resolve(String pathAndQuery) {
        return baseUrl.resolve(pathAndQuery);
    }
}
