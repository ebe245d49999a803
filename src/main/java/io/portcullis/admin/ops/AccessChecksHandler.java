package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.admin.http.RequestJson;
import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.AccessExplainer;
import io.portcullis.authorization.AccessExplanation;
import io.portcullis.registry.Registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/accessChecks}: may a client publish to a topic or subscribe to a filter, and which binding
 * decides. It runs the broker's own {@link AccessExplainer} (with the broker's permission evaluator) on the
 * registry the broker enforces at that moment, so the answer is the one a CONNECT, PUBLISH or SUBSCRIBE would
 * get, and the same as {@code portcullis check-access --config} on that registry. A denial is a 200 answer;
 * only a request it cannot read is an error. Stateless; any worker thread.
 */
final class AccessChecksHandler implements ApiHandler {
    static final String COLLECTION = "accessChecks";
    private static final String PATH = "/api/v1/" + COLLECTION;
    private static final Set<String> FIELDS = Set.of("clientName", "action", "topic");

    private final Supplier<Registry> registry;
    private final AccessExplainer explainer;

    AccessChecksHandler(Supplier<Registry> registry, AccessExplainer explainer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.explainer = Objects.requireNonNull(explainer, "explainer");
    }

    /** A check only reads the registry, so its {@code POST} writes no audit line; other methods are refused. */
    @Override
    public boolean isChange(ApiRequest request) {
        // POST only reads here; the other methods are judged as on any path (OPTIONS and TRACE are safe too).
        return !request.method().equals("POST") && ApiHandler.super.isChange(request);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        if (request.path().size() != 1) {
            throw ApiException.notFound("Resource " + PATH + "/" + String.join("/",
                    request.path().subList(1, request.path().size())));
        }
        if (!request.method().equals("POST")) {
            throw ApiException.methodNotAllowed(request.method(), PATH, "POST");
        }
        Check check = read(request.body());

        Registry current = registry.get();
        AccessExplanation explanation = check.publish()
                ? explainer.explainPublish(current, check.clientName(), check.topic())
                : explainer.explainSubscribe(current, check.clientName(), check.topic());
        return ApiResponse.json(200, json(explanation));
    }

    private record Check(String clientName, boolean publish, String topic) {
    }

    /** Reads and validates the body, naming every failing field at once. */
    private static Check read(byte[] body) {
        JsonNode root = body.length == 0 ? null : RequestJson.read(body);
        if (root == null || !root.isObject()) {
            throw new ApiException(400, "ValidationFailed", "1 field is invalid",
                    List.of(new ApiException.Detail("body", "must be a JSON object with clientName, action and "
                            + "topic")));
        }
        List<ApiException.Detail> problems = new ArrayList<>();
        String clientName = text(root, "clientName", problems);
        String action = text(root, "action", problems);
        String topic = text(root, "topic", problems);
        if (action != null && !action.equals("publish") && !action.equals("subscribe")) {
            problems.add(new ApiException.Detail("action", "must be publish or subscribe"));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new ApiException.Detail(name, "is not a field of an access check (clientName, "
                        + "action, topic)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(400, "ValidationFailed", problems.size() == 1 ? "1 field is invalid"
                    : problems.size() + " fields are invalid", problems);
        }
        return new Check(clientName, action.equals("publish"), topic);
    }

    private static String text(JsonNode root, String field, List<ApiException.Detail> problems) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            problems.add(new ApiException.Detail(field, "is required"));
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new ApiException.Detail(field, "must be a string"));
            return null;
        }
        if (value.asText().isEmpty()) {
            problems.add(new ApiException.Detail(field, "must not be empty"));
            return null;
        }
        return value.asText();
    }

    private static ObjectNode json(AccessExplanation explanation) {
        AccessDecision decision = explanation.decision();
        ObjectNode answer = JsonNodeFactory.instance.objectNode()
                .put("allowed", decision.allowed())
                .put("permissionBinding", decision.bindingName())
                .put("topicSpace", decision.topicSpaceName())
                .put("topicTemplate", decision.template())
                .put("reason", decision.reason());
        explanation.lines().forEach(answer.putArray("explanation")::add);
        return answer;
    }
}
