package io.portcullis.pki;

import io.portcullis.auth.CertificateFields;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates, or reuses, the certificate directory the {@code portcullis dev} command runs on:
 * <pre>
 * DIR/ca.pem                         root CA certificate, what clients trust
 * DIR/pki/root-ca.key                root CA key
 * DIR/pki/intermediate-ca.crt|.key   intermediate CA (register it as the broker's CA certificate)
 * DIR/pki/intermediate-ca.crl       the intermediate CA's CRL (revocation.crlFiles), empty at first
 * DIR/pki/admin-ca.key               admin CA key
 * DIR/admin/admin-ca.crt             admin CA certificate: a root of its own, trusted only by the admin API
 * DIR/admin/admin.crt|.key           admin client certificate CN=dev-admin, issued by the admin CA
 * DIR/server/server-ec.crt|.key      P-384 server certificate, chain leaf + intermediate
 * DIR/server/server-rsa.crt|.key     RSA 2048 server certificate, chain leaf + intermediate
 * DIR/clients/client-N.crt|.key      client certificates CN=client-N, chain leaf + intermediate
 * DIR/clients/selfsigned-1.crt|.key  a self-signed client certificate for ThumbprintMatch
 * </pre>
 * Existing files are kept; missing ones are issued, so raising the client count adds clients. An
 * existing file that no longer chains to the CA beside it is an error rather than silently replaced.
 * The CRL is re-issued, entries kept, whenever its nextUpdate is less than {@link #CRL_REFRESH_MARGIN}
 * away, so a long-lived dev directory never holds a stale CRL that would lock every client out.
 * Runs on the caller's thread; not safe for two processes on one directory at once.
 */
public final class DevPki {

    private static final Logger LOG = LoggerFactory.getLogger(DevPki.class);

    /** How long each dev CRL stays current. */
    public static final Duration CRL_VALIDITY = Duration.ofDays(30);
    /** {@link #ensure} re-issues the dev CRL when its nextUpdate is closer than this. */
    public static final Duration CRL_REFRESH_MARGIN = Duration.ofDays(7);

    private static final String PKI_FOLDER = "pki";
    private static final String CLIENTS_FOLDER = "clients";
    private static final String ADMIN_COMMON_NAME = "dev-admin";

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
     * @param crlFile                 the intermediate CA's CRL ({@code DIR/pki/intermediate-ca.crl})
     * @param adminCa                 the admin CA certificate ({@code DIR/admin/admin-ca.crt}) and key
     *                                ({@code DIR/pki/admin-ca.key}); never a device CA
     * @param adminClient             the admin client certificate and key ({@code DIR/admin/admin.crt|.key})
     */
    public record Layout(Path directory, Path caFile, CertificateFiles rootCa, CertificateFiles intermediateCa,
                         X509Certificate rootCertificate,
                         X509Certificate intermediateCertificate, CertificateFiles serverEc,
                         CertificateFiles serverRsa, List<ClientFiles> clients, ClientFiles selfSignedClient,
                         Path crlFile, CertificateFiles adminCa, CertificateFiles adminClient) {
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
            Objects.requireNonNull(crlFile, "crlFile");
            Objects.requireNonNull(adminCa, "adminCa");
            Objects.requireNonNull(adminClient, "adminClient");
        }

        /** The admin CA certificate file, what {@code admin.caCertificates} lists. */
        public Path adminCaFile() {
            return adminCa.certificate();
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
        Path pki = directory.resolve(PKI_FOLDER);
        Path caFile = directory.resolve("ca.pem");

        CertificateFiles rootFiles = new CertificateFiles(caFile, pki.resolve("root-ca.key"));
        IssuedCertificate root = loadOrCreate(rootFiles, null,
                () -> CertificateIssuer.rootCa("Portcullis Dev Root CA"));
        CertificateFiles intermediateFiles = intermediateCaFiles(directory);
        IssuedCertificate intermediate = loadOrCreate(intermediateFiles, root,
                () -> CertificateIssuer.intermediateCa(root, "Portcullis Dev Intermediate CA"));
        Path crlFile = crlFile(directory);
        ensureCrl(crlFile, intermediate);

        Path server = directory.resolve("server");
        CertificateFiles serverEc = files(server, "server-ec");
        loadOrCreate(serverEc, intermediate, () -> CertificateIssuer.server(intermediate, KeyAlgorithm.EcP384));
        CertificateFiles serverRsa = files(server, "server-rsa");
        loadOrCreate(serverRsa, intermediate, () -> CertificateIssuer.server(intermediate, KeyAlgorithm.Rsa2048));

        Path clientDirectory = directory.resolve(CLIENTS_FOLDER);
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

        // The admin CA is a root of its own: a device certificate can never chain to it.
        Path admin = directory.resolve("admin");
        CertificateFiles adminCaFiles = new CertificateFiles(admin.resolve("admin-ca.crt"),
                pki.resolve("admin-ca.key"));
        IssuedCertificate adminCa = loadOrCreate(adminCaFiles, null,
                () -> CertificateIssuer.rootCa("Portcullis Dev Admin CA"));
        CertificateFiles adminFiles = files(admin, "admin");
        loadOrCreate(adminFiles, adminCa, () -> CertificateIssuer.client(adminCa, ADMIN_COMMON_NAME));

        return new Layout(directory, caFile, rootFiles, intermediateFiles, root.certificate(),
                intermediate.certificate(), serverEc, serverRsa, clients, selfSignedClient, crlFile, adminCaFiles,
                adminFiles);
    }

    /**
     * What {@link #revokeClient} did.
     *
     * @param name           the client's name
     * @param serial         the serial of its certificate
     * @param crlFile        the CRL file written
     * @param crl            the CRL now in that file
     * @param alreadyRevoked whether the serial was on the list before (the file is then left as it was)
     */
    public record Revocation(String name, BigInteger serial, Path crlFile, X509CRL crl, boolean alreadyRevoked) {
        public Revocation {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(crlFile, "crlFile");
            Objects.requireNonNull(crl, "crl");
        }
    }

    /**
     * Adds the serial of {@code DIR/clients/NAME.crt} to the dev CRL and rewrites the file atomically, entries
     * kept and CRL Number incremented. Creates the CRL when a dev directory from an older version has none.
     *
     * @throws NoSuchFileException      when the directory lacks the intermediate CA or the client certificate
     * @throws IllegalArgumentException when the name is not a plain file stem, or the client certificate is not
     *                                  issued by the dev intermediate CA (a self-signed one, say)
     * @throws IllegalStateException    when the CRL on disk is not signed by the dev intermediate CA
     */
    public static Revocation revokeClient(Path directory, String name) throws IOException {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a dev client name (like client-3)");
        }
        CertificateFiles caFiles = intermediateCaFiles(directory);
        Path clientFile = directory.resolve(CLIENTS_FOLDER).resolve(name + ".crt");
        for (Path required : List.of(caFiles.certificate(), caFiles.privateKey(), clientFile)) {
            if (!Files.exists(required)) {
                throw new NoSuchFileException(required.toString());
            }
        }
        IssuedCertificate ca = new IssuedCertificate(PemFiles.readCertificates(caFiles.certificate()).get(0),
                PemFiles.readPrivateKey(caFiles.privateKey()), List.of());
        X509Certificate client = PemFiles.readCertificates(clientFile).get(0);
        try {
            if (!client.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
                throw new GeneralSecurityException("issuer differs");
            }
            client.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(clientFile + " is not issued by the dev intermediate CA ("
                    + client.getIssuerX500Principal().getName() + "), so its CRL cannot revoke it", e);
        }

        Path crlFile = crlFile(directory);
        X509CRL current = Files.exists(crlFile) ? readOwnCrl(crlFile, ca) : CrlIssuer.empty(ca, CRL_VALIDITY);
        BigInteger serial = client.getSerialNumber();
        if (Files.exists(crlFile) && current.getRevokedCertificate(serial) != null) {
            return new Revocation(name, serial, crlFile, current, true);
        }
        X509CRL revoked = CrlIssuer.revoke(current, ca, serial, Instant.now(), CRL_VALIDITY);
        PemFiles.writeCrl(crlFile, revoked, true);
        LOG.info("Revoked dev client certificate: name={} serial={} thumbprint={} crl={} crlNumber={}", name,
                CertificateFields.serialHex(serial), Thumbprints.thumbprint(client), crlFile,
                CrlIssuer.crlNumber(revoked));
        return new Revocation(name, serial, crlFile, revoked, false);
    }

    /** The dev CRL path in a dev directory, whether or not it exists yet. */
    public static Path crlFile(Path directory) {
        return directory.resolve(PKI_FOLDER).resolve("intermediate-ca.crl");
    }

    private static CertificateFiles intermediateCaFiles(Path directory) {
        return files(directory.resolve(PKI_FOLDER), "intermediate-ca");
    }

    /** Writes an empty CRL when there is none, and re-issues one that is about to go stale. */
    private static void ensureCrl(Path crlFile, IssuedCertificate ca) throws IOException {
        if (!Files.exists(crlFile)) {
            PemFiles.writeCrl(crlFile, CrlIssuer.empty(ca, CRL_VALIDITY), false);
            LOG.info("Issued dev CRL: file={} issuer={}", crlFile,
                    ca.certificate().getSubjectX500Principal().getName());
            return;
        }
        X509CRL current = readOwnCrl(crlFile, ca);
        Instant refreshAt = Instant.now().plus(CRL_REFRESH_MARGIN);
        if (current.getNextUpdate() == null || current.getNextUpdate().toInstant().isBefore(refreshAt)) {
            X509CRL renewed = CrlIssuer.reissue(current, ca, CRL_VALIDITY);
            PemFiles.writeCrl(crlFile, renewed, true);
            LOG.info("Re-issued dev CRL before it goes stale: file={} crlNumber={} nextUpdate={}", crlFile,
                    CrlIssuer.crlNumber(renewed), renewed.getNextUpdate().toInstant());
        }
    }

    private static X509CRL readOwnCrl(Path crlFile, IssuedCertificate ca) throws IOException {
        X509CRL crl = PemFiles.readCrl(crlFile);
        if (!CrlIssuer.isIssuedBy(crl, ca.certificate())) {
            throw new IllegalStateException(crlFile + " is not signed by "
                    + ca.certificate().getSubjectX500Principal().getName()
                    + "; restore the dev CRL, or delete the file to start over with an empty CRL (the revocations"
                    + " in it are then lost, though a running broker keeps refusing the certificates it has seen"
                    + " revoked)");
        }
        return crl;
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
