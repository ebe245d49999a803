package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.DevPki;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
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

    /**
     * The certificate and key files for a certificate whose default file stem is {@code stem}, checked before
     * anything is issued or written: {@code --out}, when a file goes there, must be a directory or not exist
     * yet, and the certificate and the key must be two files, since writing the second would otherwise fail
     * half-way or replace the first.
     */
    DevPki.CertificateFiles files(String stem) throws CommandFailure {
        if (certificate == null || privateKey == null) {
            requireDirectory();
        }
        DevPki.CertificateFiles files = new DevPki.CertificateFiles(
                certificate != null ? certificate : directory.resolve(stem + ".crt"),
                privateKey != null ? privateKey : directory.resolve(stem + ".key"));
        if (isSameFile(files.certificate(), files.privateKey())) {
            throw new CommandFailure(ExitCodes.USAGE, (certificate != null && privateKey != null
                    ? "--cert and --key both name " + files.certificate()
                    : "The certificate and the key would both be written to " + files.certificate())
                    + "; nothing was written. Fix: give --cert and --key different files.");
        }
        return files;
    }

    private void requireDirectory() throws CommandFailure {
        // The nearest part of the path that exists decides: below a file no directory can be created either.
        Path existing = directory.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            boolean isOut = existing.equals(directory.toAbsolutePath().normalize());
            throw new CommandFailure(ExitCodes.USAGE, "--out " + directory + " is not a directory"
                    + (isOut ? "" : " (" + existing + " is a file)") + "; nothing was written. Fix: give a"
                    + " directory, or --cert FILE and --key FILE.");
        }
    }

    /** The same path once made absolute and normalized, or (when both exist) one file under two names. */
    static boolean isSameFile(Path first, Path second) {
        if (first.toAbsolutePath().normalize().equals(second.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(first) && Files.exists(second) && Files.isSameFile(first, second);
        } catch (IOException e) {
            return false; // unreadable here means the write reports it, with the file's name
        }
    }
}
