package io.portcullis.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.portcullis.pki.IssuedCertificate;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CA's revocation endpoints on 127.0.0.1 for tests: an OCSP responder at {@code /ocsp} (POST, or GET with
 * the request in the path) answering with
 * BouncyCastle-built responses signed by the CA (or a delegated responder certificate), and CRL distribution
 * points at {@code /crl/NAME}. Tests set each serial's status, publish CRLs, make the responder answer HTTP
 * 500 or garbage, and count requests. The JDK server's thread answers; state is in concurrent maps and
 * volatile fields, so tests may change it from any thread.
 */
public final class RevocationResponder implements AutoCloseable {

    /** What the responder says about a serial it has not been told about. */
    public enum Status {
        GOOD, REVOKED, UNKNOWN
    }

    /** How the OCSP endpoint misbehaves, if at all. */
    public enum Fault {
        NONE, HTTP_500, GARBAGE
    }

    private final HttpServer server;
    private final IssuedCertificate ca;
    private final Clock clock;
    private final Map<BigInteger, Status> statuses = new ConcurrentHashMap<>();
    private final Map<String, byte[]> crls = new ConcurrentHashMap<>();
    private final AtomicInteger ocspRequests = new AtomicInteger();
    private final AtomicInteger crlRequests = new AtomicInteger();
    private volatile IssuedCertificate signer;
    private volatile Status defaultStatus = Status.GOOD;
    private volatile Fault fault = Fault.NONE;
    private volatile Duration answerValidity = Duration.ofHours(1);
    private volatile boolean echoNonce = true;

    private RevocationResponder(HttpServer server, IssuedCertificate ca, Clock clock) {
        this.server = server;
        this.ca = ca;
        this.signer = ca;
        this.clock = clock;
    }

    /** Starts the endpoints of {@code ca} on an ephemeral loopback port; answers are dated by {@code clock}. */
    public static RevocationResponder start(IssuedCertificate ca, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        RevocationResponder responder = new RevocationResponder(server, ca, clock);
        server.createContext("/ocsp", responder::ocsp);
        server.createContext("/crl/", responder::crl);
        server.start();
        return responder;
    }

    public URI ocspUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp");
    }

    public URI crlUrl(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/crl/" + name);
    }

    public void status(BigInteger serial, Status status) {
        statuses.put(serial, status);
    }

    public void defaultStatus(Status status) {
        defaultStatus = status;
    }

    public void fault(Fault newFault) {
        fault = newFault;
    }

    /** Signs answers with a delegated responder certificate (sent along in the answer) instead of the CA. */
    public void signWith(IssuedCertificate responderCertificate) {
        signer = responderCertificate;
    }

    /** thisUpdate is now; nextUpdate is now plus this. */
    public void answerValidity(Duration validity) {
        answerValidity = validity;
    }

    public void echoNonce(boolean echo) {
        echoNonce = echo;
    }

    public void publishCrl(String name, X509CRL crl) {
        try {
            crls.put(name, crl.getEncoded());
        } catch (java.security.cert.CRLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public int ocspRequests() {
        return ocspRequests.get();
    }

    public int crlRequests() {
        return crlRequests.get();
    }

    private void crl(HttpExchange exchange) throws IOException {
        crlRequests.incrementAndGet();
        String name = exchange.getRequestURI().getPath().substring("/crl/".length());
        byte[] body = crls.get(name);
        if (body == null) {
            send(exchange, 404, new byte[0], "text/plain");
        } else {
            send(exchange, 200, body, "application/pkix-crl");
        }
    }

    private void ocsp(HttpExchange exchange) throws IOException {
        ocspRequests.incrementAndGet();
        // RFC 6960 A.1: small requests may come as GET with the base64 DER in the path (the JDK does this).
        byte[] request = "GET".equals(exchange.getRequestMethod())
                ? Base64.getDecoder().decode(URLDecoder.decode(exchange.getRequestURI().getRawPath()
                        .substring("/ocsp/".length()), StandardCharsets.US_ASCII))
                : exchange.getRequestBody().readAllBytes();
        switch (fault) {
            case HTTP_500 -> send(exchange, 500, new byte[0], "text/plain");
            case GARBAGE -> send(exchange, 200, new byte[] {1, 2, 3}, "application/ocsp-response");
            case NONE -> {
                try {
                    send(exchange, 200, answer(new OCSPReq(request)), "application/ocsp-response");
                } catch (Exception e) {
                    send(exchange, 400, new byte[0], "text/plain");
                }
            }
        }
    }

    private byte[] answer(OCSPReq request) throws Exception {
        IssuedCertificate signing = signer;
        BasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(signing.certificate().getPublicKey(),
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
        Instant now = clock.instant();
        for (Req single : request.getRequestList()) {
            CertificateID id = single.getCertID();
            Status status = statuses.getOrDefault(id.getSerialNumber(), defaultStatus);
            CertificateStatus answer = switch (status) {
                case GOOD -> CertificateStatus.GOOD;
                case REVOKED -> new RevokedStatus(Date.from(now.minusSeconds(60)), 1);
                case UNKNOWN -> new UnknownStatus();
            };
            builder.addResponse(id, answer, Date.from(now.minusSeconds(1)), Date.from(now.plus(answerValidity)),
                    null);
        }
        Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && echoNonce) {
            builder.setResponseExtensions(new Extensions(nonce));
        }
        X509CertificateHolder[] chain = signing == ca ? null
                : new X509CertificateHolder[] {new JcaX509CertificateHolder(signing.certificate())};
        BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder(
                RevocationPki.signatureAlgorithm(signing.privateKey())).build(signing.privateKey()), chain,
                Date.from(now));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops answering; later requests are refused at connect. */
    @Override
    public void close() {
        server.stop(0);
    }
}
