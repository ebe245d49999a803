package io.portcullis.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One server certificate: a PEM file holding the leaf then its chain, and the PEM private key of the
 * leaf. Paths are absolute (resolved against the configuration file's directory when loaded). The
 * loader has checked that both files parse, that the key matches the leaf, and which kind of key it is.
 */
public record ServerCertificateConfig(Path certificate, Path privateKey, ServerKeyType keyType) {
    public ServerCertificateConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(keyType, "keyType");
    }
}
