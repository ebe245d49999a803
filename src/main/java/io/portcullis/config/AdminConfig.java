package io.portcullis.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The admin API listener ({@code admin} in the file): HTTPS with mutual TLS whose trust is separate
 * from device trust. It serves the broker's own server certificates; an admin client must present a
 * certificate issued by one of {@code caCertificates} or whose SHA-256 thumbprint is in
 * {@code thumbprints}. Device CAs and device thumbprints never open it.
 *
 * @param enabled            whether the listener starts
 * @param bindAddress        address to bind; loopback by default
 * @param port               TCP port (0 picks a free one)
 * @param caCertificateFiles the files the admin CA certificates were read from (for reload)
 * @param caCertificates     admin CA certificates
 * @param thumbprints        admin certificate thumbprints, 64 upper-case hex digits
 */
public record AdminConfig(boolean enabled, String bindAddress, int port, List<Path> caCertificateFiles,
                          List<X509Certificate> caCertificates, List<String> thumbprints) {
    public static final int DEFAULT_PORT = 9443;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final AdminConfig DISABLED =
            new AdminConfig(false, DEFAULT_BIND_ADDRESS, DEFAULT_PORT, List.of(), List.of(), List.of());

    public AdminConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
        caCertificateFiles = List.copyOf(caCertificateFiles);
        caCertificates = List.copyOf(caCertificates);
        thumbprints = List.copyOf(thumbprints);
    }
}
