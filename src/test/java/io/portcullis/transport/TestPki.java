package io.portcullis.transport;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/** Certificates for one test run: a root, an intermediate, both server identities and clients. */
final class TestPki {

    static final IssuedCertificate ROOT = CertificateIssuer.rootCa("Transport Test Root", KeyAlgorithm.EcP384,
            Validity.defaultCa());
    static final IssuedCertificate INTERMEDIATE = CertificateIssuer.intermediateCa(ROOT,
            "Transport Test Intermediate", KeyAlgorithm.EcP384, Validity.defaultCa());
    static final IssuedCertificate SERVER_EC = CertificateIssuer.server(INTERMEDIATE, KeyAlgorithm.EcP384);
    static final IssuedCertificate SERVER_RSA = CertificateIssuer.server(INTERMEDIATE, KeyAlgorithm.Rsa2048);
    static final IssuedCertificate CLIENT = CertificateIssuer.client(INTERMEDIATE, "device-1");
    static final IssuedCertificate SELF_SIGNED_CLIENT = CertificateIssuer.selfSignedClient("stranger");
    static final IssuedCertificate RSA_CLIENT = CertificateIssuer.client(INTERMEDIATE, "device-rsa",
            KeyAlgorithm.Rsa2048, SubjectAltNames.NONE, Validity.defaultLeaf());

    private TestPki() {
    }

    static ServerCredentials serverCredentials() {
        return new ServerCredentials(SERVER_EC.privateKey(), SERVER_EC.chain(), SERVER_RSA.privateKey(),
                SERVER_RSA.chain());
    }

    /** A JDK client context trusting the test root and presenting {@code client} (or nothing when null). */
    static SSLContext clientContext(IssuedCertificate client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", ROOT.certificate());
        TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
        trustFactory.init(trust);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client != null) {
            keys.setKeyEntry("client", client.privateKey(), new char[0],
                    client.chain().toArray(X509Certificate[]::new));
        }
        KeyManagerFactory keyFactory = KeyManagerFactory.getInstance("PKIX");
        keyFactory.init(keys, new char[0]);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyFactory.getKeyManagers(), trustFactory.getTrustManagers(), null);
        return context;
    }
}
