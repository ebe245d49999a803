package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.portcullis.cli.ExitCodes;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The admin API over HTTPS with mutual TLS (JDK {@link HttpClient}, HTTP/1.1, host name verified):
 * sends one request, returns a 2xx answer as JSON, and turns everything else into an
 * {@link AdminCommandException} with the exit code scripts rely on. Used by one command on the main
 * thread.
 */
final class AdminApi {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String TLS_HINT = "Check --ca (the CA of the broker's server certificate, whose names must"
            + " include the host in --url) and --cert/--key (an admin certificate: issued by a CA in"
            + " admin.caCertificates or listed in admin.thumbprints; device certificates are refused).";

    private final AdminEndpoint endpoint;
    private final HttpClient http;

    AdminApi(AdminEndpoint endpoint, SSLContext sslContext) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Reads the endpoint's PEM files and prepares a client; nothing is sent yet. */
    static AdminApi connect(AdminEndpoint endpoint) throws AdminCommandException {
        return new AdminApi(endpoint, AdminTls.context(endpoint));
    }

    ApiResponse get(String path) throws AdminCommandException {
        return send("GET", path, Map.of(), null);
    }

    /**
     * Sends one request. {@code headers} are added as given (If-Match, If-None-Match); a non-null
     * {@code body} is sent as JSON.
     */
    ApiResponse send(String method, String path, Map<String, String> headers, JsonNode body)
            throws AdminCommandException {
        URI uri = endpoint.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", JSON_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.compact(body), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCommandException(ExitCodes.UNREACHABLE, "Interrupted while waiting for " + uri, e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw ApiErrors.failure(status, method, path, response.body());
        }
        String etag = response.headers().firstValue("ETag").orElse(null);
        String text = response.body();
        if (text == null || text.isBlank()) {
            return new ApiResponse(status, etag, Json.MAPPER.missingNode());
        }
        try {
            return new ApiResponse(status, etag, Json.MAPPER.readTree(text));
        } catch (IOException e) {
            throw new AdminCommandException(ExitCodes.API_ERROR, "error HTTP " + status + ": " + method + " " + path
                    + " answered a body that is not JSON; is " + endpoint.baseUrl() + " the Portcullis admin API?");
        }
    }

    /** One list page: its {@code value} items and the {@code nextLink}, or null on the last page. */
    record Page(JsonNode body, List<JsonNode> items, String nextLink) {
    }

    Page page(String path) throws AdminCommandException {
        JsonNode body = get(path).body();
        JsonNode value = body.path("value");
        if (!value.isArray()) {
            throw new AdminCommandException(ExitCodes.API_ERROR, "error: GET " + path
                    + " answered without a 'value' array; is " + endpoint.baseUrl() + " the Portcullis admin API?");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        JsonNode next = body.path("nextLink");
        return new Page(body, items, next.isTextual() && !next.asText().isEmpty() ? checkedLink(next.asText()) : null);
    }

    /** Every item of a list, following {@code nextLink} until the last page. */
    ArrayNode all(String firstPath) throws AdminCommandException {
        ArrayNode items = Json.MAPPER.createArrayNode();
        Set<String> visited = new HashSet<>();
        String path = firstPath;
        while (path != null) {
            if (!visited.add(path)) {
                throw new AdminCommandException(ExitCodes.API_ERROR, "error: the API's nextLink " + path
                        + " points back to a page already read; stopping");
            }
            Page page = page(path);
            page.items().forEach(items::add);
            path = page.nextLink();
        }
        return items;
    }

    /** A nextLink must stay on the same broker: a relative path, or an absolute URL of the same origin. */
    private String checkedLink(String link) throws AdminCommandException {
        URI resolved;
        try {
            resolved = endpoint.resolve(link);
        } catch (IllegalArgumentException e) {
            throw new AdminCommandException(ExitCodes.API_ERROR, "error: the API's nextLink is not a URL: "
                    + Text.printable(link));
        }
        URI base = endpoint.baseUrl();
        if (!base.getScheme().equalsIgnoreCase(resolved.getScheme())
                || !base.getHost().equalsIgnoreCase(String.valueOf(resolved.getHost()))
                || base.getPort() != resolved.getPort()) {
            throw new AdminCommandException(ExitCodes.API_ERROR, "error: the API's nextLink leaves "
                    + base + ": " + Text.printable(link));
        }
        String query = resolved.getRawQuery();
        return resolved.getRawPath() + (query == null ? "" : "?" + query);
    }

    private AdminCommandException unreachable(IOException e) {
        String url = endpoint.baseUrl().toString();
        if (e instanceof HttpConnectTimeoutException) {
            return new AdminCommandException(ExitCodes.UNREACHABLE, List.of("Cannot connect to " + url
                    + ": no answer within " + CONNECT_TIMEOUT.toSeconds() + " s. Check the host and port in --url."));
        }
        if (e instanceof HttpTimeoutException) {
            return new AdminCommandException(ExitCodes.UNREACHABLE, List.of("No answer from " + url + " within "
                    + REQUEST_TIMEOUT.toSeconds() + " s."));
        }
        if (find(e, ConnectException.class) != null) {
            return new AdminCommandException(ExitCodes.UNREACHABLE, List.of("Cannot connect to " + url
                    + ": connection refused. Is the broker running with the admin API enabled"
                    + " (admin.enabled: true) on that port?"));
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return new AdminCommandException(ExitCodes.UNREACHABLE, List.of("TLS with " + url + " failed: "
                    + describe(tls) + ".", TLS_HINT));
        }
        // With TLS 1.3 the server checks the client certificate after the client's handshake is done, so
        // a refused admin certificate usually shows up as a connection closed before any answer.
        return new AdminCommandException(ExitCodes.UNREACHABLE, List.of("Connection to " + url + " failed: "
                + describe(e) + ". The broker may have refused the client certificate.", TLS_HINT));
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
