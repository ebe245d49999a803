package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.SubjectAltNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code portcullis pki client issue NAME}: a device certificate CN=NAME (clientAuth), CA-signed or self-signed. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a client (device) certificate with subject CN=NAME, signed by --issuer-cert/"
                + "--issuer-key (or --dev DIR), or --self-signed for a client registered by thumbprint.",
                "Writes DIR/NAME.crt (leaf + intermediates, what the client presents) and DIR/NAME.key (mode 0600);"
                        + " refuses to overwrite without --force. Prints the SHA-256 thumbprint."})
final class ClientIssueCommand extends PkiAction {

    @Parameters(index = "0", paramLabel = "NAME", description = "The client's name, written as the subject CN.")
    private String name;

    @Option(names = "--san-dns", paramLabel = "NAME", description = "A DNS name SAN (repeatable).")
    private List<String> dnsNames = new ArrayList<>();

    @Option(names = "--san-uri", paramLabel = "URI",
            description = "A URI SAN, such as spiffe://example.com/sensor/7 (repeatable).")
    private List<String> uris = new ArrayList<>();

    @Option(names = "--san-ip", paramLabel = "ADDRESS", description = "An IP address SAN (repeatable).")
    private List<String> ipAddresses = new ArrayList<>();

    @Option(names = "--san-email", paramLabel = "ADDRESS", description = "An e-mail address SAN (repeatable).")
    private List<String> emails = new ArrayList<>();

    @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ec-p256", converter = KeyType.Converter.class,
            description = "ec-p256, ec-p384 or rsa-2048 (default: ${DEFAULT-VALUE}).")
    private KeyType keyType;

    @Option(names = "--days", paramLabel = "N", defaultValue = "365",
            description = "Validity in days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--self-signed",
            description = "Sign the certificate with its own key (register the client with ThumbprintMatch).")
    private boolean selfSigned;

    @Mixin
    private IssuerOptions issuerOptions;

    @Mixin
    private OutputOptions output;

    @Override
    int execute() throws CommandFailure {
        if (name.isBlank()) {
            throw new CommandFailure(ExitCodes.USAGE, "NAME is empty. Fix: give the client's name.");
        }
        requireCommonName("NAME '" + name + "'", name, "give a shorter NAME. A client whose authentication"
                + " name is longer (up to 128) cannot use SubjectMatchesAuthenticationName: put the name in a SAN"
                + " (--san-uri, --san-dns or --san-email) and register the client with the matching scheme, such"
                + " as UriMatchesAuthenticationName.");
        requireFileStem(name, output);
        var files = output.files(name);
        if (issuerOptions.isGiven()) {
            issuerOptions.requireNotOverwritten(files);
        }
        SubjectAltNames altNames = altNames(dnsNames, ipAddresses, uris, emails);
        var validity = validity(days);
        IssuedCertificate issued;
        if (selfSigned) {
            if (issuerOptions.isGiven()) {
                throw new CommandFailure(ExitCodes.USAGE, "--self-signed and an issuer (--issuer-cert, --issuer-key"
                        + " or --dev) exclude each other. Fix: give one of them.");
            }
            issued = CertificateIssuer.selfSignedClient(name, keyType.algorithm(), altNames, validity);
        } else {
            if (!issuerOptions.isGiven()) {
                throw new CommandFailure(ExitCodes.USAGE, "No issuer. Fix: add --issuer-cert FILE --issuer-key FILE,"
                        + " --dev DIR (the dev PKI's intermediate CA), or --self-signed.");
            }
            issued = CertificateIssuer.client(issuerOptions.load(), name, keyType.algorithm(), altNames, validity);
        }
        write(issued, files, output.force);
        return ExitCodes.OK;
    }
}
