package io.portcullis.cli.pki;

import io.portcullis.auth.CertificateFields;
import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.PemFiles;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Thumbprints;
import io.portcullis.pki.Validity;
import org.bouncycastle.util.IPAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Base of the {@code pki} commands that do something: runs {@link #execute()}, reports a
 * {@link CommandFailure} as one line on the error stream and returns its exit code, and holds the shared
 * steps (checking SANs and days, writing a key and certificate, printing what was written). Each run is
 * on the caller's thread.
 */
abstract class PkiAction implements Callable<Integer> {
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern FILE_STEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    static final int MAX_DAYS = 36_500;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CommandFailure failure) {
            err().println(failure.getMessage());
            return failure.exitCode();
        }
    }

    abstract int execute() throws CommandFailure;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static Validity validity(int days) throws CommandFailure {
        if (days < 1 || days > MAX_DAYS) {
            throw new CommandFailure(ExitCodes.USAGE, "--days must be between 1 and " + MAX_DAYS + ", was " + days
                    + ".");
        }
        return Validity.days(days);
    }

    /** Checks that the name can be a file stem when no explicit --cert/--key are given. */
    static void requireFileStem(String name, OutputOptions output) throws CommandFailure {
        boolean explicitFiles = output.certificate != null && output.privateKey != null;
        if (!explicitFiles && !FILE_STEM.matcher(name).matches()) {
            throw new CommandFailure(ExitCodes.USAGE, "'" + name + "' cannot be a file name. Fix: use letters, digits,"
                    + " '.', '_' and '-', or give --cert FILE and --key FILE.");
        }
    }

    /**
     * Refuses a common name longer than a certificate can hold, naming where it came from ({@code what}), before
     * BouncyCastle would stop the issuing with an exception.
     */
    static void requireCommonName(String what, String commonName, String fix) throws CommandFailure {
        if (commonName.length() > CertificateIssuer.MAX_COMMON_NAME_LENGTH) {
            throw new CommandFailure(ExitCodes.USAGE, what + " is " + commonName.length() + " characters long;"
                    + " a certificate's common name holds at most " + CertificateIssuer.MAX_COMMON_NAME_LENGTH
                    + " (RFC 5280). Fix: " + fix);
        }
    }

    /** The SANs after checking each value; a bad one is a usage error naming the option. */
    static SubjectAltNames altNames(List<String> dns, List<String> ips, List<String> uris, List<String> emails)
            throws CommandFailure {
        for (String name : dns) {
            if (!DNS_NAME.matcher(name).matches() || name.length() > 253) {
                throw new CommandFailure(ExitCodes.USAGE, "--san-dns '" + name + "' is not a DNS name. Fix: write a"
                        + " host name such as broker.example.com (a leading '*.' is allowed).");
            }
        }
        for (String ip : ips) {
            if (!IPAddress.isValid(ip)) {
                throw new CommandFailure(ExitCodes.USAGE, "--san-ip '" + ip + "' is not an IPv4 or IPv6 address."
                        + " Fix: write a literal address such as 192.0.2.10 or 2001:db8::1 (no brackets, no mask).");
            }
        }
        for (String uri : uris) {
            if (!isAbsoluteUri(uri)) {
                throw new CommandFailure(ExitCodes.USAGE, "--san-uri '" + uri + "' is not an absolute URI. Fix:"
                        + " write one with a scheme, such as spiffe://example.com/sensor/7 or urn:dev:sensor-7.");
            }
        }
        for (String email : emails) {
            int at = email.indexOf('@');
            if (at < 1 || at != email.lastIndexOf('@') || at == email.length() - 1 || email.contains(" ")) {
                throw new CommandFailure(ExitCodes.USAGE, "--san-email '" + email + "' is not an e-mail address."
                        + " Fix: write local@domain, such as sensor-7@devices.example.com.");
            }
        }
        return new SubjectAltNames(dns, ips, uris, emails);
    }

    private static boolean isAbsoluteUri(String value) {
        try {
            return new URI(value).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Refuses before anything is written when an output file exists and --force is not given. */
    static void requireWritable(List<Path> files, boolean force) throws CommandFailure {
        if (force) {
            return;
        }
        List<String> existing = new ArrayList<>();
        for (Path file : files) {
            // A symbolic link counts even when its target is missing: writing would refuse it, not follow it.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                existing.add(file + (Files.isSymbolicLink(file) ? " (a symbolic link)" : ""));
            }
        }
        if (!existing.isEmpty()) {
            throw new CommandFailure(ExitCodes.FILE_EXISTS, String.join(" and ", existing)
                    + (existing.size() == 1 ? " already exists" : " already exist") + "; nothing was written."
                    + " Fix: add --force to replace, or choose other files with --out, --cert or --key.");
        }
    }

    /**
     * Writes the key (mode 0600) and then the certificate with its intermediates (what a TLS peer presents),
     * and prints both files, the subject, serial, expiry and thumbprint.
     */
    void write(IssuedCertificate issued, DevPki.CertificateFiles files, boolean force) throws CommandFailure {
        requireWritable(List.of(files.certificate(), files.privateKey()), force);
        try {
            PemFiles.writePrivateKey(files.privateKey(), issued.privateKey(), force);
            PemFiles.writeCertificates(files.certificate(), issued.chain(), force);
        } catch (FileAlreadyExistsException e) {
            throw new CommandFailure(ExitCodes.FILE_EXISTS, e.getFile() + " appeared while writing. Fix: add --force"
                    + " to replace it.", e);
        } catch (IOException e) {
            throw new CommandFailure(ExitCodes.FILE_ERROR, "Cannot write " + files.certificate() + " or "
                    + files.privateKey() + ": " + e + ". Fix: check that the directory is writable.", e);
        }
        X509Certificate certificate = issued.certificate();
        int intermediates = issued.intermediates().size();
        out().println("Wrote " + files.privateKey() + " (private key, mode 0600)");
        out().println("Wrote " + files.certificate() + " (certificate" + (intermediates == 0 ? ""
                : " + " + intermediates + (intermediates == 1 ? " intermediate" : " intermediates")) + ")");
        printCertificate(certificate);
    }

    void printCertificate(X509Certificate certificate) {
        out().println("  Subject:    " + certificate.getSubjectX500Principal().getName());
        out().println("  Issuer:     " + certificate.getIssuerX500Principal().getName());
        out().println("  Serial:     " + CertificateFields.serialHex(certificate));
        out().println("  Not after:  " + DateTimeFormatter.ISO_INSTANT.format(certificate.getNotAfter().toInstant()));
        out().println("  Thumbprint: " + Thumbprints.thumbprint(certificate) + " (SHA-256)");
    }
}
