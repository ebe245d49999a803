package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.admin.composition.ResourceKind;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code /openapi.json} true: it is OpenAPI 3.0, it has exactly the operations docs/admin-api.md
 * describes (each registry collection's five, sessions, retained messages, access checks, metrics and itself),
 * every {@code $ref} resolves, and its paths outside the registry are exactly the handlers
 * {@link OperationsHandlers} serves.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
    /** An operation in the docs' prose: a method, a space, then a path in the same code span. */
    private static final Pattern DOCUMENTED = Pattern.compile("`(GET|PUT|POST|PATCH|DELETE) (/[^`?\\s]*)");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}]+}");

    static JsonNode document;
    static String docs;

    @BeforeAll
    static void read() throws Exception {
        document = new JsonMapper().readTree(OpenApiHandler.load());
        docs = Files.readString(Path.of("docs", "admin-api.md"), StandardCharsets.UTF_8);
    }

    @Test
    void isAnOpenApi30Document() {
        assertThat(document.path("openapi").asText()).startsWith("3.0.");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        assertThat(document.path("paths").size()).isGreaterThan(0);
    }

    @Test
    void describesEveryOperationOfTheDocsAndNoOther() {
        Set<String> documented = documentedOperations();
        Set<String> described = describedOperations();

        // Sanity: the docs' own listing was found (five collections x five operations, and the rest).
        assertThat(documented).hasSizeGreaterThanOrEqualTo(5 * 5 + 9)
                .contains("GET /api/v1/clients/{}", "PATCH /api/v1/permissionBindings/{}",
                        "DELETE /api/v1/sessions/{}", "POST /api/v1/accessChecks", "GET /metrics",
                        "GET /openapi.json");
        assertThat(described).isEqualTo(documented);
    }

    @Test
    void everyReferenceResolves() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(reference).startsWith("#/");
            JsonNode target = document.at(reference.substring(1));
            assertThat(target.isMissingNode()).as("target of %s", reference).isFalse();
        }
    }

    @Test
    void everyOperationAnswersItsErrorsWithTheErrorSchema() {
        forEachOperation((path, method, operation) -> {
            operation.path("responses").fields().forEachRemaining(response -> {
                int status = Integer.parseInt(response.getKey());
                JsonNode answer = resolve(response.getValue());
                assertThat(answer.path("description").asText()).as("%s %s %d", method, path, status).isNotBlank();
                if (status >= 400) {
                    assertThat(answer.at("/content/application~1json/schema/$ref").asText())
                            .as("%s %s %d", method, path, status).isEqualTo("#/components/schemas/Error");
                }
            });
        });
    }

    @Test
    void errorCodesAreExactlyTheCodesTheApiAnswersWith() {
        Set<String> described = new TreeSet<>();
        document.at("/components/schemas/Error/properties/error/properties/code/enum")
                .forEach(code -> described.add(code.asText()));

        assertThat(described).isEqualTo(new TreeSet<>(ApiException.CODES));
        for (String code : ApiException.CODES) {
            assertThat(docs).as("docs/admin-api.md names %s", code).contains("`" + code + "`");
        }
    }

    @Test
    void everyOperationMayAnswerBusyAndMethodNotAllowedWithItsAllowHeader() {
        forEachOperation((path, method, operation) -> {
            JsonNode responses = operation.path("responses");
            assertThat(responses.has("503")).as("%s %s 503", method, path).isTrue();
            assertThat(resolve(responses.path("405")).path("headers").has("Allow")).as("%s %s 405", method, path)
                    .isTrue();
            if (path.startsWith("/api/v1/")) {
                assertThat(responses.has("400")).as("%s %s 400", method, path).isTrue();
            }
        });
    }

    @Test
    void everyOperationMayAnswerTheRefusalsOfTheHttpLayer() {
        // Answered before any route: a request line or headers over the codec's limits, an Expect it cannot meet.
        forEachOperation((path, method, operation) -> {
            JsonNode responses = operation.path("responses");
            // Any request may carry a query that does not decode (400) or a body (413, 415).
            assertThat(responses.has("400")).as("%s %s 400", method, path).isTrue();
            assertThat(responses.has("413")).as("%s %s 413", method, path).isTrue();
            assertThat(responses.has("415")).as("%s %s 415", method, path).isTrue();
            assertThat(responses.has("414")).as("%s %s 414", method, path).isTrue();
            assertThat(responses.has("417")).as("%s %s 417", method, path).isTrue();
            assertThat(responses.has("431")).as("%s %s 431", method, path).isTrue();
        });
    }

    @Test
    void citesTheJsonMergePatchRfc() {
        String text = OpenApiHandler.load();

        assertThat(text).contains("RFC 7396").doesNotContain("RFC 7386");
        assertThat(docs).doesNotContain("RFC 7386");
    }

    @Test
    void registryBodiesAreClosedAndDeclareTheReadOnlyFieldsTheyIgnore() {
        for (ResourceKind kind : ResourceKind.values()) {
            JsonNode item = document.path("paths").path("/api/v1/" + kind.collection() + "/{name}");
            JsonNode resource = schemaOf(item.path("get").at("/responses/200"));
            JsonNode properties = resolve(resource.path("properties").path("properties"));
            assertThat(properties.path("additionalProperties").isBoolean()).as("%s properties", kind).isTrue();
            assertThat(properties.path("additionalProperties").asBoolean()).as("%s properties", kind).isFalse();

            for (String method : List.of("put", "patch")) {
                JsonNode body = schemaOf(item.path(method).path("requestBody"));
                assertThat(body.path("additionalProperties").isBoolean()).as("%s %s", method, kind).isTrue();
                assertThat(body.path("additionalProperties").asBoolean()).as("%s %s", method, kind).isFalse();
                // A resource read can be sent back as it is: every member it has is declared in the body.
                resource.path("properties").fieldNames().forEachRemaining(member -> {
                    assertThat(body.path("properties").has(member)).as("%s %s %s", method, kind, member).isTrue();
                    if (resource.path("properties").path(member).path("readOnly").asBoolean()) {
                        assertThat(body.path("properties").path(member).path("readOnly").asBoolean())
                                .as("%s %s %s readOnly", method, kind, member).isTrue();
                    }
                });
            }
        }
        JsonNode authentication = document.at("/components/schemas/ClientCertificateAuthentication");
        assertThat(authentication.path("additionalProperties").isBoolean()).isTrue();
        assertThat(document.at("/components/schemas/CaCertificateProperties/properties/thumbprint/readOnly")
                .asBoolean()).isTrue();
    }

    /** The schema of a response or request body's JSON content, references followed. */
    private static JsonNode schemaOf(JsonNode content) {
        return resolve(resolve(content).at("/content/application~1json/schema"));
    }

    @Test
    void registryResourcesDescribeInactiveReasonAndConditionalReads() {
        for (ResourceKind kind : ResourceKind.values()) {
            JsonNode get = document.path("paths").path("/api/v1/" + kind.collection() + "/{name}").path("get");
            String schema = get.at("/responses/200/content/application~1json/schema/$ref").asText();
            JsonNode resource = document.at(schema.substring(1));

            assertThat(resource.path("properties").path("inactiveReason").path("readOnly").asBoolean())
                    .as("%s inactiveReason", kind).isTrue();
            assertThat(resolve(get.path("responses").path("304")).path("headers").has("ETag")).isTrue();
            assertThat(get.path("responses").has("412")).isTrue();
        }
    }

    @Test
    void registryReadsAndChangesCarryTheEtagHeader() {
        for (ResourceKind kind : ResourceKind.values()) {
            JsonNode item = document.path("paths").path("/api/v1/" + kind.collection() + "/{name}");
            for (String method : List.of("get", "put", "patch")) {
                JsonNode success = item.path(method).path("responses").path("200");
                assertThat(success.path("headers").has("ETag")).as("%s %s", method, kind).isTrue();
            }
            assertThat(item.path("put").path("responses").path("201").path("headers").has("ETag")).isTrue();
            assertThat(item.path("put").path("responses").has("412")).isTrue();
        }
    }

    @Test
    void pathsOutsideTheRegistryAreExactlyTheServedHandlers() {
        Set<String> registry = Arrays.stream(ResourceKind.values()).map(ResourceKind::collection)
                .collect(Collectors.toSet());
        Set<String> keys = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(path -> {
            String key = path.startsWith("/api/v1/") ? path.substring("/api/v1/".length()).split("/")[0] : path;
            if (!registry.contains(key)) {
                keys.add(key);
            }
        });

        assertThat(keys).isEqualTo(new TreeSet<>(OperationsHandlers.KEYS));
    }

    @Test
    void theHandlerServesTheDocumentAsJson() {
        ApiResponse response = new OpenApiHandler().handle(new ApiRequest("GET", List.of(), Map.of(), Map.of(),
                null, new AdminCaller("CN=admin", "00")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.text()).isEqualTo(OpenApiHandler.load());
    }

    /** "METHOD path" for each operation in the docs, {@code {collection}} expanded, path parameters as {}. */
    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        Matcher matcher = DOCUMENTED.matcher(docs);
        while (matcher.find()) {
            String method = matcher.group(1);
            String path = matcher.group(2);
            if (path.contains("{collection}")) {
                for (ResourceKind kind : ResourceKind.values()) {
                    operations.add(operation(method, path.replace("{collection}", kind.collection())));
                }
            } else {
                operations.add(operation(method, path));
            }
        }
        return operations;
    }

    private static Set<String> describedOperations() {
        Set<String> operations = new TreeSet<>();
        forEachOperation((path, method, operation) -> operations.add(operation(method, path)));
        return operations;
    }

    private static String operation(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + PATH_PARAMETER.matcher(path).replaceAll("{}");
    }

    private interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    private static void forEachOperation(OperationVisitor visitor) {
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                entry -> {
                    if (METHODS.contains(entry.getKey())) {
                        visitor.visit(path.getKey(), entry.getKey(), entry.getValue());
                    }
                }));
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode reference = node.get("$ref");
        return reference == null ? node : document.at(reference.asText().substring(1));
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectReferences(element, references));
        }
    }
}
