package io.portcullis.transport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A server-side trust manager that only judges client chains: every {@code checkClientTrusted} form goes to
 * {@link #verify}, server chains are refused, and no acceptable issuers are advertised — a CA list in
 * CertificateRequest would keep clients whose certificate is admitted by thumbprint (self-signed, or from an
 * unlisted CA) from sending it, so the client sends what it has and {@link #verify} decides.
 */
public abstract class ClientOnlyTrustManager extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    /** Admits the chain the client sent (leaf first) or throws saying why not. */
    protected abstract void verify(X509Certificate[] chain) throws CertificateException;

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public final X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS.clone();
    }
}
