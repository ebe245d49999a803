package io.portcullis.broker;

import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.pki.KeyPairs;
import io.portcullis.transport.ServerCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server certificates and keys the broker serves, with the files they came from and a digest of
 * those files' bytes, so a reload can tell whether the material changed. Never prints key material.
 *
 * @param ec          the EC P-384 entry of {@code tls.serverCertificates}
 * @param rsa         the RSA entry
 * @param credentials both chains and keys as read
 * @param digest      SHA-256 over the four files' paths and bytes
 */
record ServerMaterial(ServerCertificateConfig ec, ServerCertificateConfig rsa, ServerCredentials credentials,
                      String digest) {

    ServerMaterial {
        Objects.requireNonNull(ec, "ec");
        Objects.requireNonNull(rsa, "rsa");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(digest, "digest");
    }

    /** Reads the material a configuration names; the loader has already checked it. */
    static ServerMaterial read(BrokerConfig config) throws IOException {
        ServerCertificateConfig ec = config.tls().serverCertificate(ServerKeyType.EC_P384);
        ServerCertificateConfig rsa = config.tls().serverCertificate(ServerKeyType.RSA);
        String digest = digest(config);
        ServerCredentials credentials = ServerCredentials.load(ec.certificate(), ec.privateKey(), rsa.certificate(),
                rsa.privateKey());
        // The loader checked these files a moment ago; an operator may be replacing them right now.
        if (!digest.equals(digest(config))) {
            throw new IOException("server certificate or key files changed while being read; the next reload"
                    + " reads them again");
        }
        requireKeyPair(credentials.ecKey(), credentials.ecChain().get(0), ec.privateKey());
        requireKeyPair(credentials.rsaKey(), credentials.rsaChain().get(0), rsa.privateKey());
        return new ServerMaterial(ec, rsa, credentials, digest);
    }

    private static void requireKeyPair(PrivateKey key, X509Certificate leaf, Path keyFile) throws IOException {
        if (!KeyPairs.belongTogether(key, leaf.getPublicKey())) {
            throw new IOException("the key in " + keyFile + " does not belong to its certificate");
        }
    }

    /** The digest of the server certificate and key files a configuration names. */
    static String digest(BrokerConfig config) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        for (ServerCertificateConfig entry : config.tls().serverCertificates()) {
            for (Path file : List.of(entry.certificate(), entry.privateKey())) {
                sha256.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha256.update(Files.readAllBytes(file));
            }
        }
        return java.util.HexFormat.of().formatHex(sha256.digest());
    }
}
