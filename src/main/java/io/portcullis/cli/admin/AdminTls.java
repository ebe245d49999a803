package io.portcullis.cli.admin;

import io.portcullis.cli.ExitCodes;
import io.portcullis.pki.KeyPairs;
import io.portcullis.pki.PemFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds the client {@link SSLContext} for the admin API from PEM files: the admin certificate chain
 * and key to present, and the CAs to trust for the broker's certificate. Problems with the files are
 * usage failures naming the option and the fix. Stateless.
 */
final class AdminTls {
    private static final char[] IN_MEMORY_PASSWORD = "portcullis".toCharArray();

    private AdminTls() {
    }

    static SSLContext context(AdminEndpoint endpoint) throws AdminCommandException {
        List<X509Certificate> chain = certificates(endpoint.certificate(), "--cert",
                "give the admin certificate in PEM form");
        PrivateKey key = privateKey(endpoint.privateKey());
        PublicKey publicKey = chain.get(0).getPublicKey();
        // An algorithm the check does not know: the handshake decides.
        if (KeyPairs.canCheck(publicKey) && !KeyPairs.belongTogether(key, publicKey)) {
            throw usage("--key " + endpoint.privateKey() + " does not belong to the certificate in --cert "
                    + endpoint.certificate() + "; give the key that was issued with that certificate");
        }
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, IN_MEMORY_PASSWORD);

            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (endpoint.caFile() == null) {
                trustManagers.init((KeyStore) null);
            } else {
                List<X509Certificate> cas = certificates(endpoint.caFile(), "--ca",
                        "give the CA certificate that issued the broker's server certificate, in PEM form");
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trusted.setCertificateEntry("ca-" + i, cas.get(i));
                }
                trustManagers.init(trusted);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new AdminCommandException(ExitCodes.USAGE, "Cannot set up TLS with --cert " + endpoint.certificate()
                    + " and --key " + endpoint.privateKey() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String option, String fix)
            throws AdminCommandException {
        try {
            return PemFiles.readCertificates(file);
        } catch (NoSuchFileException e) {
            throw usage(option + " " + file + ": the file does not exist; " + fix);
        } catch (IOException e) {
            throw usage(option + " " + file + ": " + e.getMessage() + "; " + fix);
        }
    }

    private static PrivateKey privateKey(Path file) throws AdminCommandException {
        try {
            return PemFiles.readPrivateKey(file);
        } catch (NoSuchFileException e) {
            throw usage("--key " + file + ": the file does not exist; give the admin certificate's private key");
        } catch (IOException e) {
            throw usage("--key " + file + ": " + e.getMessage()
                    + "; give an unencrypted PEM key (PKCS#8 or traditional EC/RSA)");
        }
    }

    private static AdminCommandException usage(String message) {
        return new AdminCommandException(ExitCodes.USAGE, message);
    }
}
