package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.pki.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/** {@code portcullis ca-certificate create|show|list|update|delete}: CAs that issue device certificates. */
@Command(name = "ca-certificate", footer = AdminHelp.EXIT_CODES,
        description = "Manage the CA certificates that issue client (device) certificates, through the admin API.",
        subcommands = {CaCertificateCommand.Create.class, CaCertificateCommand.Show.class,
                CaCertificateCommand.Listing.class, CaCertificateCommand.Update.class,
                CaCertificateCommand.Delete.class})
public final class CaCertificateCommand {

    @Mixin
    HelpOption help;

    static final class Fields {
        @Option(names = "--certificate", paramLabel = "FILE", order = 1,
                description = "PEM file holding one CA certificate.")
        Path certificate;

        @Option(names = "--description", paramLabel = "TEXT", order = 2, description = "Free text.")
        String description;

        ObjectNode properties() throws AdminCommandException {
            ObjectNode properties = Json.MAPPER.createObjectNode();
            if (certificate != null) {
                properties.put("encodedCertificate", pem(certificate));
            }
            if (description != null) {
                properties.put("description", description);
            }
            return properties;
        }

        private static String pem(Path file) throws AdminCommandException {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw ApiCommand.usage("--certificate " + file + ": the file does not exist");
            } catch (IOException e) {
                throw ApiCommand.usage("--certificate " + file + ": cannot read it (" + e.getMessage() + ")");
            }
            if (!text.contains("-----BEGIN CERTIFICATE-----")) {
                throw ApiCommand.usage("--certificate " + file + ": holds no '-----BEGIN CERTIFICATE-----' block;"
                        + " give the CA certificate in PEM form");
            }
            requireCa(file);
            return text;
        }

        /** A leaf is the usual mistake (a device's own certificate): say so before the API gets it. */
        private static void requireCa(Path file) throws AdminCommandException {
            X509Certificate first;
            try {
                first = PemFiles.readCertificates(file).get(0);
            } catch (IOException e) {
                throw ApiCommand.usage("--certificate " + file + ": cannot read a certificate from it ("
                        + e.getMessage() + "); give the CA certificate in PEM form");
            }
            // Version 1 certificates have no extensions; the broker accepts old roots without basic constraints.
            if (first.getVersion() >= 3 && first.getBasicConstraints() < 0) {
                throw ApiCommand.usage("--certificate " + file + ": " + first.getSubjectX500Principal().getName()
                        + " is not a CA certificate (basicConstraints cA=false): it is a device or server"
                        + " certificate. Give the PEM file of the CA that issued the client certificates instead"
                        + " (this one's issuer is " + first.getIssuerX500Principal().getName() + "; for 'portcullis"
                        + " dev' that is dev/ca.pem). To admit one self-signed client certificate, register the"
                        + " client with --validation-scheme ThumbprintMatch --thumbprint SHA256 instead");
            }
        }
    }

    @Command(name = "create", description = "Register a CA certificate (fails with exit code 7 if the name exists).")
    static final class Create extends RegistryVerbs.Create {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.CA_CERTIFICATES;
        }

        @Override
        ObjectNode properties() throws AdminCommandException {
            if (fields.certificate == null) {
                throw usage("Missing --certificate FILE: the PEM file of the CA certificate to register");
            }
            return fields.properties();
        }
    }

    @Command(name = "show", description = "Show one CA certificate (thumbprint, validity).")
    static final class Show extends RegistryVerbs.Show {
        @Override
        ResourceView view() {
            return ResourceView.CA_CERTIFICATES;
        }
    }

    @Command(name = "list", description = "List CA certificates: NAME, THUMBPRINT, EXPIRES, ORIGIN.")
    static final class Listing extends RegistryVerbs.Listing {
        @Override
        ResourceView view() {
            return ResourceView.CA_CERTIFICATES;
        }
    }

    @Command(name = "update", description = "Change only the given fields of a CA certificate.")
    static final class Update extends RegistryVerbs.Update {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.CA_CERTIFICATES;
        }

        @Override
        ObjectNode patch() throws AdminCommandException {
            return fields.properties();
        }
    }

    @Command(name = "delete", description = "Delete a CA certificate made through the API.")
    static final class Delete extends RegistryVerbs.Delete {
        @Override
        ResourceView view() {
            return ResourceView.CA_CERTIFICATES;
        }
    }
}
