package io.portcullis.config;

import io.portcullis.registry.CaCertificate;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A CA certificate entry as the configuration file gives it: from a PEM file ({@code file} is its
 * absolute path) or inline PEM ({@code file} is {@code null}), with the parsed certificate.
 */
public record CaCertificateConfig(String name, String description, Path file, X509Certificate certificate) {
    public CaCertificateConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(certificate, "certificate");
        description = description == null ? "" : description;
    }

    public CaCertificate toRegistryEntry() {
        return new CaCertificate(name, description, certificate);
    }
}
