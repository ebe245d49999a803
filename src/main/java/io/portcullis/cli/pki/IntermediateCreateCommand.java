package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis pki intermediate create}: an intermediate CA signed by a root (or another CA). */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create an intermediate CA signed by --issuer-cert/--issuer-key (path length 0: it signs"
                + " clients and servers, not further CAs).",
                "Writes DIR/NAME.crt (the intermediate, then any intermediates above it) and DIR/NAME.key (mode"
                        + " 0600); refuses to overwrite without --force."})
final class IntermediateCreateCommand extends PkiAction {

    @Option(names = "--cn", paramLabel = "TEXT", defaultValue = "Portcullis Intermediate CA",
            description = "Common name of the CA (default: ${DEFAULT-VALUE}).")
    private String commonName;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "intermediate-ca",
            description = "File name stem (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p384", converter = KeyType.Converter.class,
            description = "ec-p384 or rsa-2048 (default: ${DEFAULT-VALUE}).")
    private KeyType keyType;

    @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Mixin
    private IssuerOptions issuerOptions;

    @Mixin
    private OutputOptions output;

    @Override
    int execute() throws CommandFailure {
        CaCreateCommand.requireCaKeyType(keyType);
        requireCommonName("--cn", commonName, "give a shorter --cn.");
        requireFileStem(name, output);
        var files = output.files(name);
        issuerOptions.requireNotOverwritten(files);
        var validity = validity(days);
        IssuedCertificate issuer = issuerOptions.load();
        if (issuer.certificate().getBasicConstraints() == 0) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "The issuer "
                    + issuer.certificate().getSubjectX500Principal().getName() + " may not sign CAs (path length 0)."
                    + " Fix: sign the intermediate with the root CA.");
        }
        var issued = CertificateIssuer.intermediateCa(issuer, commonName, keyType.algorithm(), validity);
        write(issued, files, output.force);
        return ExitCodes.OK;
    }
}
