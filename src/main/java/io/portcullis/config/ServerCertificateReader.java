package io.portcullis.config;

import io.portcullis.config.PemMaterial.PemException;
import io.portcullis.pki.KeyPairs;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads one {@code tls.serverCertificates} entry: the certificate file (leaf, then its chain in order)
 * and the private key file, and checks that they parse, that the key belongs to the leaf, that the
 * leaf is current and usable by a TLS server (key usage, extended key usage), and that its key is
 * EC P-384 or RSA 2048+. Single-threaded, used while loading.
 */
final class ServerCertificateReader {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    // Bit positions in X509Certificate.getKeyUsage().
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;

    private final Path baseDirectory;
    private final Clock clock;

    ServerCertificateReader(Path baseDirectory, Clock clock) {
        this.baseDirectory = baseDirectory;
        this.clock = clock;
    }

    /** The entry, or {@code null} when a problem was recorded. */
    ServerCertificateConfig read(Section entry) {
        Problems problems = entry.problems();
        String certificateValue = entry.requiredText("certificate",
                "give the PEM file holding the server certificate followed by its chain");
        String keyValue = entry.requiredText("privateKey", "give the PEM file holding the certificate's private key");
        if (certificateValue == null || keyValue == null) {
            return null;
        }
        String certificateKey = entry.key("certificate");
        String privateKeyKey = entry.key("privateKey");
        ConfigFiles.FileText certificateFile = ConfigFiles.read(baseDirectory, certificateValue, certificateKey,
                problems);
        ConfigFiles.FileText keyFile = ConfigFiles.read(baseDirectory, keyValue, privateKeyKey, problems);
        if (certificateFile == null || keyFile == null) {
            return null;
        }

        List<X509Certificate> chain;
        PrivateKey privateKey;
        try {
            chain = PemMaterial.certificates(certificateFile.text());
        } catch (PemException e) {
            problems.add(certificateKey, "file " + certificateFile.path() + " " + e.getMessage(),
                    "point it at a PEM file with the server certificate first, then its intermediates");
            return null;
        }
        try {
            privateKey = PemMaterial.privateKey(keyFile.text());
        } catch (PemException e) {
            problems.add(privateKeyKey, "file " + keyFile.path() + " " + e.getMessage(),
                    "point it at the unencrypted PEM private key (PKCS#8 '-----BEGIN PRIVATE KEY-----');"
                            + " convert with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
            return null;
        }

        X509Certificate leaf = chain.get(0);
        String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String described = "'" + subject + "' in " + certificateFile.path();
        boolean isValid = true;
        if (!KeyPairs.belongTogether(privateKey, leaf.getPublicKey())) {
            problems.add(privateKeyKey, "the key in " + keyFile.path() + " does not belong to the first"
                    + " certificate in " + certificateFile.path() + " ('" + subject + "')",
                    "pair each certificate with its own key; the leaf must come first in the certificate file");
            isValid = false;
        }
        Instant now = clock.instant();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            problems.add(certificateKey, "server certificate " + described + " expired on "
                    + leaf.getNotAfter().toInstant(), "renew it ('portcullis dev' makes new development ones)");
            isValid = false;
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            problems.add(certificateKey, "server certificate " + described + " is not valid until "
                    + leaf.getNotBefore().toInstant(), "wait until then, or issue one valid from now"
                    + " (check the issuing machine's clock)");
            isValid = false;
        }
        isValid &= allowsServerAuthentication(leaf, described, certificateKey, problems);
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                problems.add(certificateKey, "certificate " + (i + 2) + " in " + certificateFile.path()
                        + " did not issue certificate " + (i + 1), "order the file leaf first, then the"
                        + " certificate that issued it, and so on up the chain");
                isValid = false;
                break;
            }
        }
        Optional<ServerKeyType> keyType = PemMaterial.serverKeyType(leaf.getPublicKey());
        if (keyType.isEmpty()) {
            problems.add(certificateKey, "server certificate '" + subject + "' has a "
                    + PemMaterial.describeKey(leaf.getPublicKey()) + " key",
                    "use an EC P-384 or an RSA 2048 (or larger) key");
            isValid = false;
        }
        if (keyType.isPresent() && !hasTlsServerKeyUsage(leaf, keyType.get())) {
            String needed = keyType.get() == ServerKeyType.RSA ? "digitalSignature or keyEncipherment"
                    : "digitalSignature";
            problems.add(certificateKey, "server certificate " + described + ": its key usage does not allow TLS"
                    + " server authentication (it lacks " + needed + ")",
                    "issue a server certificate (portcullis pki server issue)");
            isValid = false;
        }
        return isValid ? new ServerCertificateConfig(certificateFile.path(), keyFile.path(), keyType.get()) : null;
    }

    /**
     * Whether the leaf's extended key usage, when it has one, lets it authenticate a TLS server; clients
     * refuse a certificate limited to other purposes (RFC 5280 4.2.1.12).
     */
    private static boolean allowsServerAuthentication(X509Certificate leaf, String described, String certificateKey,
                                                      Problems problems) {
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            problems.add(certificateKey, "server certificate " + described + " has an unreadable extended key"
                    + " usage extension", "issue a server certificate (portcullis pki server issue)");
            return false;
        }
        if (purposes == null || purposes.contains(SERVER_AUTH) || purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            return true;
        }
        problems.add(certificateKey, "server certificate " + described + ": its extended key usage does not allow"
                + " TLS server authentication", "issue a server certificate (portcullis pki server issue)");
        return false;
    }

    /**
     * Whether the leaf's key usage, when it has one, allows the key's TLS server role: signing the
     * handshake (EC, RSA), or for RSA also the static RSA key exchange (RFC 5280 4.2.1.3).
     */
    private static boolean hasTlsServerKeyUsage(X509Certificate leaf, ServerKeyType keyType) {
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null) {
            return true;
        }
        boolean canSign = usage.length > DIGITAL_SIGNATURE && usage[DIGITAL_SIGNATURE];
        boolean canEncipherKeys = usage.length > KEY_ENCIPHERMENT && usage[KEY_ENCIPHERMENT];
        return keyType == ServerKeyType.RSA ? canSign || canEncipherKeys : canSign;
    }
}
