package io.portcullis.admin.ops;

import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.metrics.BrokerMetrics;

import java.util.Objects;

/** {@code GET /metrics}: the broker's {@link BrokerMetrics} in the Prometheus text format. Any worker thread. */
final class MetricsHandler implements ApiHandler {
    static final String KEY = "/metrics";

    private final BrokerMetrics metrics;

    MetricsHandler(BrokerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (!request.path().isEmpty()) {
            throw ApiException.notFound("Resource " + KEY + "/" + String.join("/", request.path()));
        }
        if (!request.method().equals("GET")) {
            throw ApiException.methodNotAllowed(request.method(), KEY, "GET");
        }
        return ApiResponse.text(200, metrics.scrape(), BrokerMetrics.CONTENT_TYPE);
    }
}
