package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Builds {@link ApiRequest}s the way the admin server decodes them (path segments below {@code /api/v1},
 * percent-decoded; query parameters) and reads handler answers back as JSON, as a client would see them.
 */
final class OpsRequests {
    static final JsonMapper MAPPER = new JsonMapper();
    private static final AdminCaller CALLER = new AdminCaller("CN=ops-test-admin", "AB");

    private OpsRequests() {
    }

    /** A request; {@code query} is {@code name, value, name, value...}. */
    static ApiRequest request(String method, List<String> path, String body, String... query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < query.length; i += 2) {
            parameters.computeIfAbsent(query[i], k -> new ArrayList<>()).add(query[i + 1]);
        }
        return new ApiRequest(method, path, parameters, Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), CALLER);
    }

    /** Calls the handler and returns the JSON body it answered, after checking the status. */
    static JsonNode json(ApiHandler handler, ApiRequest request, int status) {
        ApiResponse response = handler.handle(request);
        assertThat(response.status()).isEqualTo(status);
        return MAPPER.valueToTree(response.json());
    }

    /** Calls the handler, expecting a refusal with this status and code. */
    static ApiException refused(ApiHandler handler, ApiRequest request, int status, String code) {
        ApiException refusal = catchThrowableOfType(ApiException.class, () -> handler.handle(request));
        assertThat(refusal).as("refusal of %s %s", request.method(), request.path()).isNotNull();
        assertThat(refusal.status()).isEqualTo(status);
        assertThat(refusal.code()).isEqualTo(code);
        return refusal;
    }

    /** The query parameters of a nextLink, decoded, as name, value pairs. */
    static String[] queryOf(String nextLink) {
        String query = nextLink.substring(nextLink.indexOf('?') + 1);
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            pairs.add(java.net.URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8));
            pairs.add(java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return pairs.toArray(new String[0]);
    }
}
