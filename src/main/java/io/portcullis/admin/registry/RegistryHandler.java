package io.portcullis.admin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.composition.ChangeRejected;
import io.portcullis.admin.composition.FieldProblem;
import io.portcullis.admin.composition.Precondition;
import io.portcullis.admin.composition.RegistryComposer;
import io.portcullis.admin.composition.ResourceKind;
import io.portcullis.admin.composition.ResourceView;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiHandler;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.admin.http.RequestJson;
import io.portcullis.persistence.StoreException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers one registry collection of the admin API ({@code caCertificates}, {@code clients},
 * {@code clientGroups}, {@code topicSpaces}, {@code permissionBindings}) as docs/admin-api.md describes:
 * PUT creates or replaces, GET reads one or lists a page, PATCH merges (RFC 7396) into the properties,
 * DELETE removes; entity tags guard changes. Every change goes through the {@link RegistryComposer}, which
 * checks it by the configuration loader's rules, stores it and swaps the new registry in, so it applies
 * to live sessions exactly as a file edit does. Runs on the admin worker threads; stateless.
 */
public final class RegistryHandler implements ApiHandler {
    private final ResourceKind kind;
    private final RegistryComposer composer;

    RegistryHandler(ResourceKind kind, RegistryComposer composer) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.composer = Objects.requireNonNull(composer, "composer");
    }

    /** A handler per registry collection, by collection name. */
    public static Map<String, ApiHandler> all(RegistryComposer composer) {
        Map<String, ApiHandler> handlers = new LinkedHashMap<>();
        for (ResourceKind kind : ResourceKind.values()) {
            handlers.put(kind.collection(), new RegistryHandler(kind, composer));
        }
        return handlers;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        List<String> path = request.path();
        if (path.size() == 1) {
            if (!request.method().equals("GET")) {
                throw ApiException.methodNotAllowed(request.method(), "/api/v1/" + kind.collection(), "GET");
            }
            return list(request);
        }
        if (path.size() != 2) {
            throw ApiException.notFound("The path /api/v1/" + String.join("/", path));
        }
        String name = path.get(1);
        return switch (request.method()) {
            case "GET" -> get(request, name);
            case "PUT" -> put(request, name);
            case "PATCH" -> patch(request, name);
            case "DELETE" -> delete(request, name);
            default -> throw ApiException.methodNotAllowed(request.method(), "/api/v1/" + kind.collection() + "/"
                    + name, "GET", "PUT", "PATCH", "DELETE");
        };
    }

    private ApiResponse list(ApiRequest request) {
        ListPage page = ListPage.of(request, kind);
        return ApiResponse.json(200, page.render(composer.current().views(kind), ResourceJson::resource));
    }

    /**
     * One resource, honouring {@code If-Match} (412 when its tag differs) and {@code If-None-Match} (304 Not
     * Modified with the {@code ETag} when the resource still has a tag the client names, RFC 9110 13.1.2).
     */
    private ApiResponse get(ApiRequest request, String name) {
        ResourceView view = find(name);
        String ifMatch = ifMatch(request);
        if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(view.etag())) {
            throw new ApiException(412, "PreconditionFailed", kind.noun() + " '" + name + "' has entity tag "
                    + view.etag() + ", which the request's If-Match does not accept");
        }
        String ifNoneMatch = request.header("if-none-match").map(String::trim).orElse(null);
        if (ifNoneMatch != null && isAmong(view.etag(), ifNoneMatch)) {
            return new ApiResponse(304, Map.of("ETag", view.etag()), null, null, null);
        }
        return ok(200, view);
    }

    /** Whether {@code etag} is one of the tags of an {@code If-None-Match} list (weak comparison) or it is *. */
    private static boolean isAmong(String etag, String ifNoneMatch) {
        if (ifNoneMatch.equals("*")) {
            return true;
        }
        boolean isAmong = false;
        for (String item : ifNoneMatch.split(",")) {
            String tag = item.trim();
            tag = tag.startsWith("W/") ? tag.substring(2) : tag;
            if (!isQuotedTag(tag)) {
                throw ApiException.invalidHeader("If-None-Match", "on GET give * or entity tags in quotes,"
                        + " separated by commas");
            }
            isAmong |= tag.equals(etag);
        }
        return isAmong;
    }

    private static boolean isQuotedTag(String tag) {
        return tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                && tag.indexOf('"', 1) == tag.length() - 1;
    }

    private ResourceView find(String name) {
        return composer.current().view(kind, name)
                .orElseThrow(() -> ApiException.notFound(kind.noun() + " '" + name + "'"));
    }

    private ApiResponse put(ApiRequest request, String name) {
        ObjectNode properties = ResourceJson.propertiesOfBody(parse(request), name);
        requireNotCallersThumbprint(properties, request);
        ObjectNode entry = ResourceJson.entry(kind, name, properties);
        RegistryComposer.Applied applied = change(name, () -> composer.put(kind, name, existing -> entry,
                precondition(request, true)));
        return ok(applied.created() ? 201 : 200, applied.view());
    }

    private ApiResponse patch(ApiRequest request, String name) {
        JsonNode body = parse(request);
        if (!body.isObject() || !body.path("properties").isObject()) {
            throw ResourceJson.validationFailed(List.of(new ApiException.Detail("properties",
                    "a PATCH body is {\"properties\": {...}}: the members to set, null to remove one")));
        }
        ObjectNode patch = ResourceJson.propertiesOfBody(body, name);
        if (kind == ResourceKind.CLIENTS && patch.path("state").isNull()) {
            // Removing state would make it the default, Enabled: a null meant to clear it must not let a client in.
            throw ResourceJson.validationFailed(List.of(new ApiException.Detail("properties.state",
                    "state cannot be removed; use Enabled or Disabled")));
        }
        find(name);
        RegistryComposer.Applied applied = change(name, () -> composer.put(kind, name, existing -> {
            if (existing == null) {
                throw new ChangeRejected(ChangeRejected.Reason.NOT_FOUND, kind.collection() + " '" + name
                        + "' does not exist");
            }
            ObjectNode merged = (ObjectNode) JsonMergePatch.apply(
                    ResourceJson.writableProperties(kind, existing.entry()), patch);
            requireNotCallersThumbprint(merged, request);
            return ResourceJson.entry(kind, name, merged);
        }, precondition(request, false)));
        return ok(200, applied.view());
    }

    /**
     * Refuses a client that would allow the thumbprint of the admin certificate making the request: the admin API
     * refuses every certificate a device client allows, so the change would lock its own author out.
     */
    private void requireNotCallersThumbprint(JsonNode properties, ApiRequest request) {
        if (kind != ResourceKind.CLIENTS) {
            return;
        }
        JsonNode allowed = properties.path("clientCertificateAuthentication").path("allowedThumbprints");
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i).asText().equalsIgnoreCase(request.caller().thumbprint())) {
                throw ResourceJson.validationFailed(List.of(new ApiException.Detail(
                        "properties.clientCertificateAuthentication.allowedThumbprints[" + i + "]",
                        "is the thumbprint of the admin certificate making this request; the admin API refuses"
                                + " certificates a device client allows, so this would lock it out; register the"
                                + " device's own certificate")));
            }
        }
    }

    private ApiResponse delete(ApiRequest request, String name) {
        change(name, () -> {
            composer.delete(kind, name, precondition(request, false));
            return null;
        });
        return ApiResponse.noContent();
    }

    private static ApiResponse ok(int status, ResourceView view) {
        return ApiResponse.json(status, ResourceJson.resource(view), Map.of("ETag", view.etag()));
    }

    private static JsonNode parse(ApiRequest request) {
        if (request.body().length == 0) {
            throw new ApiException(400, "MalformedJson", "The request has no body; send {\"properties\": {...}}");
        }
        return RequestJson.read(request.body());
    }

    /**
     * {@code If-Match} (one entity tag or {@code *}) and, on PUT, {@code If-None-Match: *}.
     *
     * @throws ApiException 400 for forms this API does not take (a tag list, {@code If-None-Match} with a tag)
     */
    private static Precondition precondition(ApiRequest request, boolean isPut) {
        String ifMatch = ifMatch(request);
        String ifNoneMatch = request.header("if-none-match").map(String::trim).orElse(null);
        if (ifNoneMatch != null && !(isPut && ifNoneMatch.equals("*"))) {
            throw ApiException.invalidHeader("If-None-Match", isPut ? "on PUT only 'If-None-Match: *' (create"
                    + " only) is taken" : "PATCH and DELETE do not take it; use If-Match");
        }
        return new Precondition(ifMatch, ifNoneMatch != null);
    }

    /** The {@code If-Match} header: one quoted entity tag or {@code *}; {@code null} when absent. */
    private static String ifMatch(ApiRequest request) {
        String ifMatch = request.header("if-match").map(String::trim).orElse(null);
        if (ifMatch != null && !ifMatch.equals("*") && !isQuotedTag(ifMatch)) {
            throw ApiException.invalidHeader("If-Match", "give one entity tag in quotes, as the ETag header"
                    + " had it, or *");
        }
        return ifMatch;
    }

    /** A composer call that may be refused or fail to store. */
    @FunctionalInterface
    private interface Change<T> {
        T run() throws ChangeRejected, StoreException;
    }

    private <T> T change(String name, Change<T> change) {
        try {
            return change.run();
        } catch (ChangeRejected e) {
            throw refusal(e, name);
        } catch (StoreException e) {
            // The dispatcher logs this with its cause and answers 500; nothing was changed.
            throw new IllegalStateException("the store did not take the change of " + kind.collection(), e);
        }
    }

    private ApiException refusal(ChangeRejected e, String name) {
        List<ApiException.Detail> details = new ArrayList<>();
        for (FieldProblem problem : e.problems()) {
            // A problem of another resource (a binding that needs the group being deleted) names that resource.
            boolean isOwn = problem.kind() == kind && problem.name().equals(name);
            String target = isOwn ? ResourceJson.target(kind, problem.field())
                    : problem.kind().collection() + "/" + problem.name()
                    + (problem.field().isEmpty() ? "" : "." + problem.field());
            details.add(new ApiException.Detail(target, ApiWording.of(problem.problem()
                    + (problem.fix().isEmpty() ? "" : "; " + problem.fix()))));
        }
        String message = ApiWording.of(e.getMessage());
        return switch (e.reason()) {
            case VALIDATION_FAILED -> new ApiException(400, "ValidationFailed", message, details);
            case NOT_FOUND -> new ApiException(404, "NotFound", message, details);
            case CONFLICT -> new ApiException(409, "Conflict", message, details);
            case DECLARED_IN_CONFIGURATION -> new ApiException(409, "DeclaredInConfiguration", message, details);
            case PRECONDITION_FAILED -> new ApiException(412, "PreconditionFailed", message, details);
        };
    }
}
