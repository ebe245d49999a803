package io.portcullis.auth.revocation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Fetches CRLs (GET) and OCSP responses (POST) over plain HTTP with the JDK client, asynchronously, with one
 * timeout for connecting and for the whole exchange. A status other than 200 fails the future with an
 * {@link IOException} naming it. Thread-safe; futures complete on the executor given, whose threads the service
 * names {@code portcullis-revocation-fetch-N}, timeouts included (the JDK client's own selector thread keeps the
 * JDK's name, and the JDK completes its own futures on the common pool, which on a small machine is a new
 * unnamed thread per task: hence the hop back).
 */
final class HttpFetcher {
    /** Largest body read: a CRL of a few hundred thousand entries fits; anything larger is refused. */
    static final int MAXIMUM_BODY_BYTES = 32 * 1024 * 1024;

    private final HttpClient client;
    private final Duration timeout;
    private final Executor executor;

    HttpFetcher(Duration timeout, Executor executor) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.executor = Objects.requireNonNull(executor, "executor");
        // No redirects: a responder or distribution point is named exactly by the certificate or the settings.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).executor(executor)
                .build();
    }

    Duration timeout() {
        return timeout;
    }

    CompletableFuture<byte[]> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
    }

    CompletableFuture<byte[]> post(URI uri, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private CompletableFuture<byte[]> send(HttpRequest request) {
        CompletableFuture<byte[]> result = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApplyAsync(response -> {
                    if (response.statusCode() != 200) {
                        throw new java.util.concurrent.CompletionException(
                                new IOException("HTTP status " + response.statusCode()));
                    }
                    if (response.body().length > MAXIMUM_BODY_BYTES) {
                        throw new java.util.concurrent.CompletionException(
                                new IOException("body larger than " + MAXIMUM_BODY_BYTES + " bytes"));
                    }
                    return response.body();
                }, executor);
        // The request timeout covers the response headers; this bounds the body too. A timeout fires on the JDK's
        // delay thread: what depends on the answer runs on the executor either way.
        return result.orTimeout(timeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenCompleteAsync((body, error) -> { }, executor);
    }
}
