package io.portcullis.transport;

import io.portcullis.auth.ClientCertificateVerifier;
import io.portcullis.registry.Registry;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Decides during the handshake whether a client certificate chain may connect, by handing it to the
 * {@link ClientCertificateVerifier} together with the registry snapshot current at that moment. It
 * advertises no acceptable issuers, so clients send whatever certificate they have (CA-signed or
 * self-signed) and the verifier decides. Stateless; runs on event loops concurrently.
 */
final class ClientCertificateTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final ClientCertificateVerifier verifier;
    private final Supplier<Registry> registry;

    ClientCertificateTrustManager(ClientCertificateVerifier verifier, Supplier<Registry> registry) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    private void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("No client certificate presented");
        }
        verifier.verify(List.of(chain), registry.get());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    /** Empty on purpose: a CA list in CertificateRequest would stop self-signed clients sending theirs. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
