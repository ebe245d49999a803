package io.portcullis.registry;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A registered CA certificate: a root, or an intermediate that is a trust anchor on its own.
 * Clients whose chain ends at it pass the chain part of every CA-based validation scheme.
 */
public record CaCertificate(String name, String description, X509Certificate certificate) {
    public CaCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certificate, "certificate");
        description = description == null ? "" : description;
    }
}
