package io.portcullis.cli.admin;

import java.nio.file.Path;

/**
 * Connection settings from one source (command-line options, a profile file or a dev folder); any
 * of them may be absent (null). {@link #orElse} layers them: options over profile or dev folder.
 *
 * @param url         the admin API base address, {@code https://HOST:PORT}
 * @param certificate the admin certificate chain (PEM)
 * @param privateKey  its private key (PEM, PKCS#8 or traditional EC/RSA)
 * @param caFile      the CA certificates that issued the broker's server certificate (PEM)
 */
record ConnectionSettings(String url, Path certificate, Path privateKey, Path caFile) {
    static final ConnectionSettings NONE = new ConnectionSettings(null, null, null, null);

    /** These settings, each absent one taken from {@code fallback}. */
    ConnectionSettings orElse(ConnectionSettings fallback) {
        return new ConnectionSettings(url != null ? url : fallback.url,
                certificate != null ? certificate : fallback.certificate,
                privateKey != null ? privateKey : fallback.privateKey,
                caFile != null ? caFile : fallback.caFile);
    }
}
