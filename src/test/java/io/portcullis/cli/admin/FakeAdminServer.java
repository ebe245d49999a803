package io.portcullis.cli.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.PemFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the broker's admin API in CLI tests: HTTPS on 127.0.0.1 (ephemeral port) that
 * requires a client certificate issued by the admin CA, records every request and answers with the
 * responses a test queued, in order (404 NotFound when none is left). Requests are handled on the
 * server's dispatcher thread; the queues are thread-safe.
 */
final class FakeAdminServer implements AutoCloseable {
    /** One request as the server saw it: the raw path and query keep the CLI's percent-encoding. */
    record Request(String method, String rawPathAndQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A queued answer. */
    record Response(int status, String etag, String body) {
    }

    /** The PEM files a test hands to the CLI. */
    record Files(Path caFile, Path adminCertificate, Path adminKey, Path deviceCertificate, Path deviceKey,
                 Path otherCaFile) {
    }

    private final HttpsServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Response> responses = new ConcurrentLinkedQueue<>();
    private final Files files;

    private FakeAdminServer(HttpsServer server, Files files) {
        this.server = server;
        this.files = files;
    }

    /** Issues a server CA with a localhost server certificate and an admin certificate, writes them to {@code dir}. */
    static FakeAdminServer start(Path dir) throws Exception {
        IssuedCertificate root = CertificateIssuer.rootCa("Fake Admin Root CA");
        IssuedCertificate serverCertificate = CertificateIssuer.server(root, KeyAlgorithm.EcP256);
        IssuedCertificate admin = CertificateIssuer.client(root, "admin");
        IssuedCertificate otherRoot = CertificateIssuer.rootCa("Device Root CA");
        IssuedCertificate device = CertificateIssuer.client(otherRoot, "device-1");

        Files files = new Files(dir.resolve("ca.pem"), dir.resolve("admin.crt"), dir.resolve("admin.key"),
                dir.resolve("device.crt"), dir.resolve("device.key"), dir.resolve("other-ca.pem"));
        PemFiles.writeCertificates(files.caFile(), List.of(root.certificate()), true);
        PemFiles.writeCertificates(files.adminCertificate(), admin.chain(), true);
        PemFiles.writePrivateKey(files.adminKey(), admin.privateKey(), true);
        PemFiles.writeCertificates(files.deviceCertificate(), device.chain(), true);
        PemFiles.writePrivateKey(files.deviceKey(), device.privateKey(), true);
        PemFiles.writeCertificates(files.otherCaFile(), List.of(otherRoot.certificate()), true);

        SSLContext context = serverContext(serverCertificate, root.certificate());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        FakeAdminServer fake = new FakeAdminServer(server, files);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    private static SSLContext serverContext(IssuedCertificate serverCertificate, X509Certificate trustedCa)
            throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverCertificate.privateKey(), password,
                serverCertificate.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("admin-ca", trustedCa);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(new Request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Response response = responses.poll();
        if (response == null) {
            response = new Response(404, null, "{\"error\":{\"code\":\"NotFound\",\"message\":\"nothing queued\"}}");
        }
        if (response.etag() != null) {
            exchange.getResponseHeaders().add("ETag", response.etag());
        }
        byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void answer(int status, String body) {
        responses.add(new Response(status, null, body));
    }

    void answer(int status, String etag, String body) {
        responses.add(new Response(status, etag, body));
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    void reset() {
        requests.clear();
        responses.clear();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "https://127.0.0.1:" + port();
    }

    Files files() {
        return files;
    }

    /** The options that reach this server with the admin certificate. */
    List<String> connectionOptions() {
        return List.of("--url", url(), "--cert", files.adminCertificate().toString(),
                "--key", files.adminKey().toString(), "--ca", files.caFile().toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
