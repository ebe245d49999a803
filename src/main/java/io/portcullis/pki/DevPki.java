package io.portcullis.pki;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates, or reuses, the certificate directory the {@code portcullis dev} command runs on:
 * <pre>
 * DIR/ca.pem                         root CA certificate, what clients trust
 * DIR/pki/root-ca.key                root CA key
 * DIR/pki/intermediate-ca.crt|.key   intermediate CA (register it as the broker's CA certificate)
 * DIR/server/server-ec.crt|.key      P-384 server certificate, chain leaf + intermediate
 * DIR/server/server-rsa.crt|.key     RSA 2048 server certificate, chain leaf + intermediate
 * DIR/clients/client-N.crt|.key      client certificates CN=client-N, chain leaf + intermediate
 * DIR/clients/selfsigned-1.crt|.key  a self-signed client certificate for ThumbprintMatch
 * </pre>
 * Existing files are kept; missing ones are issued, so raising the client count adds clients. An
 * existing file that no longer chains to the CA beside it is an error rather than silently replaced.
 * Runs on the caller's thread; not safe for two processes on one directory at once.
 */
public final class DevPki {

    private static final Logger LOG = LoggerFactory.getLogger(DevPki.class);

    private DevPki() {
    }

    /** Where one certificate and its key live. */
    public record CertificateFiles(Path certificate, Path privateKey) {
        public CertificateFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }
    }

    /** A dev client certificate: its common name (also its file stem), files and thumbprint. */
    public record ClientFiles(String name, CertificateFiles files, String thumbprint) {
        public ClientFiles {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(files, "files");
            Objects.requireNonNull(thumbprint, "thumbprint");
        }
    }

    /**
     * What the directory holds after {@link #ensure}.
     *
     * @param caFile                  the root certificate clients trust ({@code DIR/ca.pem})
     * @param rootCa                  the root CA certificate file ({@code ca.pem}) and key
     * @param intermediateCa          the intermediate CA certificate and key files
     * @param rootCertificate         the root CA certificate
     * @param intermediateCertificate the CA certificate to register with the broker
     * @param serverEc                the P-384 server certificate chain and key
     * @param serverRsa               the RSA 2048 server certificate chain and key
     * @param clients                 client-1 … client-N, in order
     * @param selfSignedClient        the self-signed client; its thumbprint is what ThumbprintMatch needs
     */
    public record Layout(Path directory, Path caFile, CertificateFiles rootCa, CertificateFiles intermediateCa,
                         X509Certificate rootCertificate,
                         X509Certificate intermediateCertificate, CertificateFiles serverEc,
                         CertificateFiles serverRsa, List<ClientFiles> clients, ClientFiles selfSignedClient) {
        public Layout {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(caFile, "caFile");
            Objects.requireNonNull(rootCa, "rootCa");
            Objects.requireNonNull(intermediateCa, "intermediateCa");
            Objects.requireNonNull(rootCertificate, "rootCertificate");
            Objects.requireNonNull(intermediateCertificate, "intermediateCertificate");
            Objects.requireNonNull(serverEc, "serverEc");
            Objects.requireNonNull(serverRsa, "serverRsa");
            clients = List.copyOf(clients);
            Objects.requireNonNull(selfSignedClient, "selfSignedClient");
        }

        /** Upper-case hex SHA-256 of the self-signed client certificate. */
        public String selfSignedThumbprint() {
            return selfSignedClient.thumbprint();
        }
    }

    /**
     * Makes sure {@code directory} holds the dev PKI with at least {@code clientCount} CA-signed
     * client certificates, issuing whatever is missing.
     *
     * @throws IOException           when a file cannot be read or written
     * @throws IllegalStateException when existing files are inconsistent (say, a CA key without its
     *                               certificate); deleting the directory starts over
     */
    public static Layout ensure(Path directory, int clientCount) throws IOException {
        if (clientCount < 0) {
            throw new IllegalArgumentException("clientCount must be >= 0: " + clientCount);
        }
        Path pki = directory.resolve("pki");
        Path caFile = directory.resolve("ca.pem");

        CertificateFiles rootFiles = new CertificateFiles(caFile, pki.resolve("root-ca.key"));
        IssuedCertificate root = loadOrCreate(rootFiles, null,
                () -> CertificateIssuer.rootCa("Portcullis Dev Root CA"));
        CertificateFiles intermediateFiles = files(pki, "intermediate-ca");
        IssuedCertificate intermediate = loadOrCreate(intermediateFiles, root,
                () -> CertificateIssuer.intermediateCa(root, "Portcullis Dev Intermediate CA"));

        Path server = directory.resolve("server");
        CertificateFiles serverEc = files(server, "server-ec");
        loadOrCreate(serverEc, intermediate, () -> CertificateIssuer.server(intermediate, KeyAlgorithm.EcP384));
        CertificateFiles serverRsa = files(server, "server-rsa");
        loadOrCreate(serverRsa, intermediate, () -> CertificateIssuer.server(intermediate, KeyAlgorithm.Rsa2048));

        Path clientDirectory = directory.resolve("clients");
        List<ClientFiles> clients = new ArrayList<>();
        for (int i = 1; i <= clientCount; i++) {
            String name = "client-" + i;
            CertificateFiles files = files(clientDirectory, name);
            IssuedCertificate client = loadOrCreate(files, intermediate,
                    () -> CertificateIssuer.client(intermediate, name));
            clients.add(new ClientFiles(name, files, Thumbprints.thumbprint(client.certificate())));
        }
        CertificateFiles selfSignedFiles = files(clientDirectory, "selfsigned-1");
        IssuedCertificate selfSigned = loadOrCreate(selfSignedFiles, null,
                () -> CertificateIssuer.selfSignedClient("selfsigned-1"));
        ClientFiles selfSignedClient = new ClientFiles("selfsigned-1", selfSignedFiles,
                Thumbprints.thumbprint(selfSigned.certificate()));

        return new Layout(directory, caFile, rootFiles, intermediateFiles, root.certificate(),
                intermediate.certificate(), serverEc, serverRsa, clients, selfSignedClient);
    }

    private static CertificateFiles files(Path directory, String stem) {
        return new CertificateFiles(directory.resolve(stem + ".crt"), directory.resolve(stem + ".key"));
    }

    private interface Issue {
        IssuedCertificate issue();
    }

    /**
     * Loads a certificate and key when both files exist, issues and writes them when neither does.
     * A loaded certificate must be signed by {@code issuer} (or by itself when {@code issuer} is null).
     */
    private static IssuedCertificate loadOrCreate(CertificateFiles files, IssuedCertificate issuer, Issue issue)
            throws IOException {
        boolean hasCertificate = Files.exists(files.certificate());
        boolean hasKey = Files.exists(files.privateKey());
        if (hasCertificate != hasKey) {
            throw new IllegalStateException("Found " + (hasCertificate ? files.certificate() : files.privateKey())
                    + " without " + (hasCertificate ? files.privateKey() : files.certificate())
                    + "; restore it or delete the dev directory to start over");
        }
        if (!hasCertificate) {
            IssuedCertificate issued = issue.issue();
            PemFiles.writePrivateKey(files.privateKey(), issued.privateKey(), false);
            // The file a TLS peer presents carries the whole chain below the root.
            PemFiles.writeCertificates(files.certificate(), issued.chain(), false);
            LOG.info("Issued dev certificate: subject={} file={} thumbprint={}",
                    issued.certificate().getSubjectX500Principal().getName(), files.certificate(),
                    Thumbprints.thumbprint(issued.certificate()));
            return issued;
        }

        List<X509Certificate> chain = PemFiles.readCertificates(files.certificate());
        PrivateKey key = PemFiles.readPrivateKey(files.privateKey());
        X509Certificate certificate = chain.get(0);
        try {
            certificate.verify(issuer == null ? certificate.getPublicKey() : issuer.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(files.certificate() + " is not signed by "
                    + (issuer == null ? "itself" : issuer.certificate().getSubjectX500Principal().getName())
                    + "; delete the dev directory to start over", e);
        }
        return new IssuedCertificate(certificate, key, chain.subList(1, chain.size()));
    }
}
