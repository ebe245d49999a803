package io.portcullis.transport;

import io.portcullis.auth.ClientCertificateVerifier;
import io.portcullis.registry.Registry;

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
final class ClientCertificateTrustManager extends ClientOnlyTrustManager {

    private final ClientCertificateVerifier verifier;
    private final Supplier<Registry> registry;

    ClientCertificateTrustManager(ClientCertificateVerifier verifier, Supplier<Registry> registry) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    protected void verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("No client certificate presented");
        }
        verifier.verify(List.of(chain), registry.get());
    }
}
