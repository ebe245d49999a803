package io.portcullis.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Offers the TLS engine both server identities and answers each "which key for this key type?"
 * question: EC key types get the P-384 certificate, RSA gets the RSA one. The engine asks in its
 * order of preference over what the ClientHello allows (TLS 1.2 cipher suites, TLS 1.3 signature
 * algorithms), so a client that can use both gets the EC certificate, because the server cipher
 * order lists ECDSA suites first. Immutable; called on event loops concurrently.
 */
final class DualCertificateKeyManager extends X509ExtendedKeyManager {

    static final String EC_ALIAS = "ec";
    static final String RSA_ALIAS = "rsa";

    private final ServerCredentials credentials;
    private final X509Certificate[] ecChain;
    private final X509Certificate[] rsaChain;

    DualCertificateKeyManager(ServerCredentials credentials) {
        this.credentials = credentials;
        this.ecChain = credentials.ecChain().toArray(X509Certificate[]::new);
        this.rsaChain = credentials.rsaChain().toArray(X509Certificate[]::new);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    /**
     * JSSE names the key type "EC" for ECDHE_ECDSA and TLS 1.3 ECDSA schemes, "RSA" for ECDHE_RSA and
     * rsa_pss_rsae schemes; tcnative uses the same names. Other types (RSASSA-PSS keys, static ECDH
     * "EC_RSA"/"EC_EC") have no certificate here.
     */
    private static String aliasFor(String keyType) {
        if (keyType == null) {
            return null;
        }
        return switch (keyType) {
            case "EC" -> EC_ALIAS;
            case "RSA" -> RSA_ALIAS;
            default -> null;
        };
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (EC_ALIAS.equals(alias)) {
            return ecChain.clone();
        }
        if (RSA_ALIAS.equals(alias)) {
            return rsaChain.clone();
        }
        return null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (EC_ALIAS.equals(alias)) {
            return credentials.ecKey();
        }
        if (RSA_ALIAS.equals(alias)) {
            return credentials.rsaKey();
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
