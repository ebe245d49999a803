package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CA that signs: {@code --issuer-cert} and {@code --issuer-key}, or {@code --dev DIR} for the dev PKI's
 * intermediate CA. The issuer file may hold the CA's own chain after it; those certificates (roots left out)
 * follow the issued one in its file.
 */
final class IssuerOptions {

    @Option(names = "--issuer-cert", paramLabel = "FILE",
            description = "Certificate of the signing CA (PEM; may be followed by its own intermediates).")
    Path certificate;

    @Option(names = "--issuer-key", paramLabel = "FILE", description = "Private key of the signing CA (PEM).")
    Path privateKey;

    @Option(names = "--dev", paramLabel = "DIR",
            description = "Sign with the intermediate CA of the dev folder DIR ('portcullis dev --dir DIR'): "
                    + "DIR/pki/intermediate-ca.crt and .key.")
    Path devDirectory;

    boolean isGiven() {
        return certificate != null || privateKey != null || devDirectory != null;
    }

    /**
     * Refuses output files that are the issuer's own files: {@code --force} replaces earlier outputs, never the
     * CA certificate or key this same command signs with.
     */
    void requireNotOverwritten(DevPki.CertificateFiles outputs) throws CommandFailure {
        Path certificateFile = devDirectory != null ? devDirectory.resolve("pki").resolve("intermediate-ca.crt")
                : certificate;
        Path keyFile = devDirectory != null ? devDirectory.resolve("pki").resolve("intermediate-ca.key") : privateKey;
        for (Path output : new Path[] {outputs.certificate(), outputs.privateKey()}) {
            for (Path input : new Path[] {certificateFile, keyFile}) {
                if (input != null && OutputOptions.isSameFile(output, input)) {
                    throw new CommandFailure(ExitCodes.USAGE, output + " is a file of the issuing CA; nothing was"
                            + " written. Fix: write the new certificate and key to other files (--out, --cert,"
                            + " --key).");
                }
            }
        }
    }

    /** Reads the issuer, checking that the key fits the certificate and that it is a CA. */
    IssuedCertificate load() throws CommandFailure {
        Path certificateFile = certificate;
        Path keyFile = privateKey;
        if (devDirectory != null) {
            if (certificate != null || privateKey != null) {
                throw new CommandFailure(ExitCodes.USAGE,
                        "--dev and --issuer-cert/--issuer-key both name an issuer. Fix: give one of them.");
            }
            certificateFile = devDirectory.resolve("pki").resolve("intermediate-ca.crt");
            keyFile = devDirectory.resolve("pki").resolve("intermediate-ca.key");
        } else if (certificate == null || privateKey == null) {
            throw new CommandFailure(ExitCodes.USAGE, "The issuing CA needs both --issuer-cert and --issuer-key"
                    + " (or --dev DIR for the dev PKI's intermediate CA).");
        }
        for (Path file : new Path[] {certificateFile, keyFile}) {
            if (!Files.isRegularFile(file)) {
                throw new CommandFailure(ExitCodes.FILE_ERROR, "Issuer file " + file + " does not exist. Fix: "
                        + (devDirectory != null ? "run 'portcullis dev --dir " + devDirectory + "' once to create the"
                        + " dev PKI, or correct --dev" : "correct the path, or create a CA with 'portcullis pki ca"
                        + " create'") + ".");
            }
        }
        IssuedCertificate issuer;
        try {
            issuer = PemFiles.readIssuedCertificate(certificateFile, keyFile);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "Cannot use the issuer: " + e.getMessage()
                    + ". Fix: give the CA certificate and the key created with it.", e);
        }
        if (issuer.certificate().getBasicConstraints() < 0) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "The issuer " + certificateFile + " ("
                    + issuer.certificate().getSubjectX500Principal().getName() + ") is not a CA certificate. Fix:"
                    + " sign with a CA from 'portcullis pki ca create' or 'pki intermediate create'.");
        }
        return issuer;
    }
}
