package io.portcullis.cli.pki;

import io.portcullis.pki.DevPki;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Where an issuing command writes: {@code --out DIR} with file names from the certificate's name, or
 * exact {@code --cert}/{@code --key} files, and {@code --force} to replace existing ones.
 */
final class OutputOptions {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Directory for NAME.crt and NAME.key (default: the current directory; created if missing).")
    Path directory;

    @Option(names = "--cert", paramLabel = "FILE", description = "Write the certificate here instead of DIR/NAME.crt.")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Write the private key (mode 0600) here instead of DIR/NAME.key.")
    Path privateKey;

    @Option(names = "--force", description = "Replace files that already exist (by default nothing is overwritten).")
    boolean force;

    /** The certificate and key files for a certificate whose default file stem is {@code stem}. */
    DevPki.CertificateFiles files(String stem) {
        return new DevPki.CertificateFiles(certificate != null ? certificate : directory.resolve(stem + ".crt"),
                privateKey != null ? privateKey : directory.resolve(stem + ".key"));
    }
}
