package io.portcullis.cli.pki;

import io.portcullis.auth.CertificateFields;
import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CrlIssuer;
import io.portcullis.pki.DevPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code portcullis pki client revoke NAME --dir DIR}: puts a dev client's certificate on the dev CRL. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a client certificate of the dev PKI: add the serial of DIR/clients/NAME.crt to the"
                + " dev CRL DIR/pki/intermediate-ca.crl and rewrite it (entries kept, CRL number + 1).",
                "The dev broker lists that file in revocation.crlFiles. To take it back, delete the CRL file and"
                        + " start 'portcullis dev' again, which writes an empty one.",
                "Only for certificates issued by the dev intermediate CA; a self-signed client is stopped by"
                        + " disabling or removing it in the registry instead."})
final class ClientRevokeCommand extends PkiAction {

    @Parameters(index = "0", paramLabel = "NAME", description = "The dev client, such as client-3.")
    private String name;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "dev",
            description = "The dev folder ('portcullis dev --dir DIR'; default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Override
    int execute() throws CommandFailure {
        if (name.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "NAME is empty. Fix: give the dev client's name.");
        }
        if (!Files.isDirectory(directory.resolve("pki"))) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, directory + " is not a dev folder (it has no pki/"
                    + " directory). Fix: give the --dir that 'portcullis dev --dir DIR' uses.");
        }
        DevPki.Revocation revocation;
        try {
            revocation = DevPki.revokeClient(directory, name);
        } catch (NoSuchFileException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, e.getFile() + " does not exist. Fix: "
                    + (e.getFile().endsWith(".crt") && e.getFile().contains("clients") ? "name a dev client ("
                    + devClients() + ")" : "run 'portcullis dev --dir " + directory + "' to complete the dev PKI")
                    + ".", e);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, e.getMessage() + ". Fix: revoke a client issued by the"
                    + " dev PKI (" + devClients() + "); disable a self-signed client in the registry instead.", e);
        } catch (IllegalStateException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, e.getMessage() + ".", e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "Cannot update the dev CRL: " + e.getMessage()
                    + ". Fix: check the files under " + directory.resolve("pki") + ".", e);
        }

        String serial = CertificateFields.serialHex(revocation.serial());
        int entries = revocation.crl().getRevokedCertificates() == null ? 0
                : revocation.crl().getRevokedCertificates().size();
        if (revocation.alreadyRevoked()) {
            out().println(name + " (serial " + serial + ") is already revoked in " + revocation.crlFile()
                    + "; nothing changed.");
            return ExitCodes.OK;
        }
        out().println("Revoked " + name + " (serial " + serial + ").");
        out().println("Wrote " + revocation.crlFile() + " (CRL number " + CrlIssuer.crlNumber(revocation.crl())
                + ", " + entries + (entries == 1 ? " revoked certificate" : " revoked certificates")
                + ", next update " + DateTimeFormatter.ISO_INSTANT.format(revocation.crl().getNextUpdate().toInstant())
                + ")");
        return ExitCodes.OK;
    }

    private String devClients() {
        try (Stream<Path> files = Files.list(directory.resolve("clients"))) {
            String names = files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".crt"))
                    .map(file -> file.substring(0, file.length() - ".crt".length())).sorted()
                    .filter(client -> !client.startsWith("selfsigned-"))
                    .collect(Collectors.joining(", "));
            return names.isEmpty() ? "none found in " + directory.resolve("clients") : names;
        } catch (IOException e) {
            return "see " + directory.resolve("clients");
        }
    }
}
