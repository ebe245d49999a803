package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.SubjectAltNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code portcullis pki server issue}: a broker server certificate (serverAuth) with DNS and IP SANs. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a server certificate for the broker, signed by --issuer-cert/--issuer-key.",
                "The broker serves one EC P-384 and one RSA 2048 certificate: run this twice, once per"
                        + " --key-type, with different --name.",
                "Writes DIR/NAME.crt (leaf + intermediates, what the broker serves) and DIR/NAME.key (mode 0600);"
                        + " refuses to overwrite without --force."})
final class ServerIssueCommand extends PkiAction {

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p384", converter = KeyType.Converter.class,
            description = "ec-p384 or rsa-2048 (default: ${DEFAULT-VALUE}).")
    private KeyType keyType;

    @Option(names = "--san-dns", paramLabel = "NAME", description = "A DNS name clients connect to (repeatable).")
    private List<String> dnsNames = new ArrayList<>();

    @Option(names = "--san-ip", paramLabel = "ADDRESS",
            description = "An IP address clients connect to (repeatable).")
    private List<String> ipAddresses = new ArrayList<>();

    @Option(names = "--cn", paramLabel = "TEXT",
            description = "Common name (default: the first --san-dns, else the first --san-ip).")
    private String commonName;

    @Option(names = "--name", paramLabel = "NAME",
            description = "File name stem (default: server-ec for ec-p384, server-rsa for rsa-2048).")
    private String name;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Mixin
    private IssuerOptions issuerOptions;

    @Mixin
    private OutputOptions output;

    @Override
    int execute() throws CommandFailure {
        if (keyType == KeyType.EC_P256) {
            throw new CommandFailure(ExitCodes.USAGE, "--key-type " + keyType + " is not a server key type."
                    + " Fix: use ec-p384 or rsa-2048.");
        }
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "A server certificate needs the names clients connect to."
                    + " Fix: add --san-dns NAME and/or --san-ip ADDRESS (for this machine: --san-dns localhost"
                    + " --san-ip 127.0.0.1 --san-ip ::1).");
        }
        SubjectAltNames altNames = altNames(dnsNames, ipAddresses, List.of(), List.of());
        String stem = name != null ? name : keyType == KeyType.RSA_2048 ? "server-rsa" : "server-ec";
        String cn = commonName != null ? commonName : dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
        if (commonName != null) {
            requireCommonName("--cn", cn, "give a shorter --cn; the SANs may be longer.");
        } else {
            requireCommonName("The common name (the first --san-dns, " + cn + ")", cn,
                    "give --cn TEXT of at most " + CertificateIssuer.MAX_COMMON_NAME_LENGTH
                            + " characters; the SANs may be longer.");
        }
        requireFileStem(stem, output);
        var files = output.files(stem);
        issuerOptions.requireNotOverwritten(files);
        var validity = validity(days);
        IssuedCertificate issuer = issuerOptions.load();
        var issued = CertificateIssuer.server(issuer, cn, keyType.algorithm(), altNames, validity);
        write(issued, files, output.force);
        return ExitCodes.OK;
    }
}
