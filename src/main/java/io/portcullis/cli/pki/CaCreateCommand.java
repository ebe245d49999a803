package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CertificateIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis pki ca create}: a self-signed root CA certificate and key. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a root CA: a self-signed CA certificate and its private key.",
                "Writes DIR/NAME.crt and DIR/NAME.key (mode 0600); refuses to overwrite without --force."})
final class CaCreateCommand extends PkiAction {

    @Option(names = "--cn", paramLabel = "TEXT", defaultValue = "Portcullis Root CA",
            description = "Common name of the CA (default: ${DEFAULT-VALUE}).")
    private String commonName;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "ca",
            description = "File name stem (default: ${DEFAULT-VALUE}, giving ca.crt and ca.key).")
    private String name;

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p384", converter = KeyType.Converter.class,
            description = "ec-p384 or rsa-2048 (default: ${DEFAULT-VALUE}).")
    private KeyType keyType;

    @Option(names = "--days", paramLabel = "N", defaultValue = "3650",
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Mixin
    private OutputOptions output;

    @Override
    int execute() throws CommandFailure {
        requireCaKeyType(keyType);
        requireCommonName("--cn", commonName, "give a shorter --cn.");
        requireFileStem(name, output);
        var files = output.files(name);
        var issued = CertificateIssuer.rootCa(commonName, keyType.algorithm(), validity(days));
        write(issued, files, output.force);
        return ExitCodes.OK;
    }

    /** CAs sign with P-384 or RSA 2048, the two server key types the broker serves. */
    static void requireCaKeyType(KeyType keyType) throws CommandFailure {
        if (keyType == KeyType.EC_P256) {
            throw new CommandFailure(ExitCodes.USAGE, "--key-type " + keyType + " is for client certificates."
                    + " Fix: use ec-p384 or rsa-2048.");
        }
    }
}
