package io.portcullis.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes PEM files: certificate chains (leaf first, then intermediates), unencrypted
 * PKCS#8 private keys and certificate revocation lists. Key files are created with POSIX mode 0600 from the
 * start, never widened afterwards. Writers refuse to replace an existing file unless {@code force} is set. Stateless;
 * safe on any thread.
 */
public final class PemFiles {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private PemFiles() {
    }

    /** Writes certificates in the given order (a chain: leaf first, then intermediates). */
    public static void writeCertificates(Path file, List<X509Certificate> certificates, boolean force)
            throws IOException {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("No certificates to write to " + file);
        }
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        }
        write(file, text.toString(), force, false);
    }

    /** Writes a private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}) with mode 0600. */
    public static void writePrivateKey(Path file, PrivateKey privateKey, boolean force) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(privateKey, null));
        } catch (PemGenerationException e) {
            throw new IOException("Cannot encode private key for " + file, e);
        }
        write(file, text.toString(), force, true);
    }

    /** Writes a certificate revocation list as PEM ({@code BEGIN X509 CRL}), readable by everyone. */
    public static void writeCrl(Path file, X509CRL crl, boolean force) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(crl);
        }
        write(file, text.toString(), force, false);
    }

    /** Reads the first certificate revocation list in a PEM or DER file. */
    public static X509CRL readCrl(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            // The JDK's factory takes PEM and DER alike.
            CRL crl = CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
            if (crl instanceof X509CRL x509) {
                return x509;
            }
        } catch (CertificateException | CRLException e) {
            throw new IOException("Invalid CRL in " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("No X.509 CRL in " + file);
    }

    /**
     * Reads a certificate (the first in {@code certificateFile}) with its private key, for issuing with it.
     * Further certificates in the file become the intermediates, self-signed ones (roots) left out.
     *
     * @throws IOException when a file cannot be read, holds no certificate or key, or the key does not
     *                     belong to the certificate
     */
    public static IssuedCertificate readIssuedCertificate(Path certificateFile, Path privateKeyFile)
            throws IOException {
        List<X509Certificate> certificates = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(privateKeyFile);
        X509Certificate certificate = certificates.get(0);
        if (!belongsTo(key, certificate)) {
            throw new IOException("The private key in " + privateKeyFile + " does not belong to the certificate in "
                    + certificateFile + " (" + certificate.getSubjectX500Principal().getName() + ")");
        }
        List<X509Certificate> intermediates = certificates.subList(1, certificates.size()).stream()
                .filter(c -> !CertificateIssuer.isSelfSigned(c))
                .toList();
        return new IssuedCertificate(certificate, key, intermediates);
    }

    /** Whether a signature made with {@code key} verifies with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        String keyAlgorithm = key.getAlgorithm();
        if (!keyAlgorithm.equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "portcullis key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(KeyAlgorithm.signatureAlgorithmFor(keyAlgorithm));
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(KeyAlgorithm.signatureAlgorithmFor(keyAlgorithm));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads every certificate in a PEM file, in file order. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("Invalid certificate in " + file, e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("No PEM certificate in " + file);
        }
        return List.copyOf(certificates);
    }

    /** Reads a PKCS#8 ({@code PRIVATE KEY}) or traditional ({@code EC/RSA PRIVATE KEY}) PEM key. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // The private part only: a traditional EC key may carry no public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        }
        throw new IOException("No unencrypted PEM private key in " + file);
    }

    private static void write(Path file, String content, boolean force, boolean secret) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists; use force to overwrite");
        }
        byte[] bytes = content.getBytes(StandardCharsets.US_ASCII);
        if (!force) {
            // CREATE_NEW closes the race between the exists check and the write.
            Files.write(Files.createFile(file, attributes(directory, secret)), bytes);
            return;
        }
        // Replace atomically so a reader (or a reloading broker) never sees half a file.
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp",
                attributes(directory, secret));
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] attributes(Path directory, boolean secret) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        if (!posix) {
            return new FileAttribute<?>[0];
        }
        Set<PosixFilePermission> permissions = secret ? OWNER_READ_WRITE
                : PosixFilePermissions.fromString("rw-r--r--");
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    }
}
