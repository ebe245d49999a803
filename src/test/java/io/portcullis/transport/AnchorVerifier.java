package io.portcullis.transport;

import io.portcullis.auth.ClientCertificateVerifier;
import io.portcullis.registry.Registry;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fake: accepts chains that PKIX-validate against one anchor, and counts the calls. */
final class AnchorVerifier implements ClientCertificateVerifier {

    private final X509Certificate anchor;
    final AtomicInteger calls = new AtomicInteger();

    AnchorVerifier(X509Certificate anchor) {
        this.anchor = anchor;
    }

    @Override
    public void verify(List<X509Certificate> chain, Registry registry) throws CertificateException {
        calls.incrementAndGet();
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("Client chain does not reach the test anchor", e);
        }
    }
}
