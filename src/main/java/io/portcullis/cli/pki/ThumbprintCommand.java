package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.Thumbprints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code portcullis pki thumbprint FILE}: the SHA-256 thumbprint the registry's ThumbprintMatch wants. */
@Command(name = "thumbprint", mixinStandardHelpOptions = true,
        description = {"Print the SHA-256 thumbprint of a PEM certificate as 64 upper-case hex digits, the form"
                + " clients[].clientCertificateAuthentication.allowedThumbprints (client --thumbprint) and"
                + " admin.thumbprints take. They accept either case and store upper case, as the admin API and"
                + " the logs print it.",
                "For a chain file, the first certificate (the leaf) is the one printed."})
final class ThumbprintCommand extends PkiAction {

    @Parameters(index = "0", paramLabel = "FILE", description = "A PEM certificate file.")
    private Path file;

    @Override
    int execute() throws CommandFailure {
        if (!Files.isRegularFile(file)) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, file + " does not exist. Fix: give a PEM certificate"
                    + " file.");
        }
        try {
            out().println(Thumbprints.thumbprint(PemFiles.readCertificates(file).get(0)));
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "Cannot read a certificate from " + file + ": "
                    + e.getMessage() + ". Fix: give a PEM file with '-----BEGIN CERTIFICATE-----'.", e);
        }
        return ExitCodes.OK;
    }
}
