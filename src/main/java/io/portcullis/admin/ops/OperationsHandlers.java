package io.portcullis.admin.ops;

import io.portcullis.admin.http.ApiHandler;
import io.portcullis.authorization.AccessExplainer;
import io.portcullis.metrics.BrokerMetrics;
import io.portcullis.protocol.BrokerContext;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The admin API's operations on a running broker, beside the registry collections: {@code sessions},
 * {@code retainedMessages}, {@code accessChecks}, {@code /openapi.json} and {@code /metrics}. The broker calls
 * {@link #create} once, after it has started, and hands the map to the admin server, which routes
 * {@code /api/v1/{collection}/...} by collection name and the two top-level documents by their paths.
 */
public final class OperationsHandlers {
    /** The keys {@link #create} answers under; the OpenAPI test checks them against the document. */
    public static final Set<String> KEYS = Set.of(SessionsHandler.COLLECTION, RetainedMessagesHandler.COLLECTION,
            AccessChecksHandler.COLLECTION, OpenApiHandler.KEY, MetricsHandler.KEY);

    private OperationsHandlers() {
    }

    /** The handlers over a broker's MQTT state and the metrics it serves. */
    public static Map<String, ApiHandler> create(BrokerContext context, BrokerMetrics metrics) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(metrics, "metrics");
        return Map.of(
                SessionsHandler.COLLECTION, new SessionsHandler(context.sessions()),
                RetainedMessagesHandler.COLLECTION, new RetainedMessagesHandler(context.retained(), context.clock()),
                AccessChecksHandler.COLLECTION, new AccessChecksHandler(context.registry()::current,
                        new AccessExplainer(context.permissionEvaluator())),
                OpenApiHandler.KEY, new OpenApiHandler(),
                MetricsHandler.KEY, new MetricsHandler(metrics));
    }
}
