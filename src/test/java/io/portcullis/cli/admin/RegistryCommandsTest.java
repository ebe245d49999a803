package io.portcullis.cli.admin;

import io.portcullis.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.portcullis.cli.ExitCodes;
import io.portcullis.cli.PortcullisCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry commands (client, ca-certificate, client-group, topic-space, permission-binding)
 * against a fake admin API over mutual TLS: the requests they send (method, path, If-Match /
 * If-None-Match, JSON body) and what they print as tables, key: value lines and JSON.
 */
class RegistryCommandsTest {
    private static final JsonMapper JSON = new JsonMapper();
    private static final String PUMP = """
            {"name": "pump-7", "origin": "api", "etag": "\\"e1\\"",
             "properties": {"authenticationName": "pump-7",
               "clientCertificateAuthentication": {"validationScheme": "SubjectMatchesAuthenticationName",
                                                   "allowedThumbprints": []},
               "state": "Enabled", "attributes": {"type": "pump", "floor": 3, "roles": ["a", "b"],
                              "site": ""},
               "description": "north hall"}}""";

    @TempDir
    static Path directory;
    static FakeAdminServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeAdminServer.start(directory);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    private static CliRun run(String... args) {
        return CliRun.run(server.connectionOptions(), args);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @ParameterizedTest
    @CsvSource({"client, client", "ca-certificate, CA certificate", "client-group, client group",
            "topic-space, topic space", "permission-binding, permission binding"})
    void anEmptyNameIsAUsageErrorBeforeAnyRequest(String command, String noun) {
        for (String verb : List.of("create", "show", "update", "delete")) {
            CliRun run = run(command, verb, "");

            assertThat(run.exitCode()).as(command + " " + verb + ": " + run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).isEqualTo("NAME is empty: give the " + noun + "'s name\n");
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createsAClientWithPutIfNoneMatchAndTypedAttributes() throws Exception {
        server.answer(201, "\"e1\"", PUMP);

        CliRun run = run("client", "create", "pump-7", "--validation-scheme", "SubjectMatchesAuthenticationName",
                "--state", "Enabled", "--attribute", "type=pump", "--attribute", "floor=3",
                "--attribute-string", "zip=01234", "--attribute-list", "roles=a,b", "--description", "north hall");

        assertThat(run.exitCode()).as(run.err()).isZero();
        FakeAdminServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.rawPathAndQuery()).isEqualTo("/api/v1/clients/pump-7");
        assertThat(request.header("If-None-Match")).isEqualTo("*");
        assertThat(request.header("If-Match")).isNull();
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(json(request.body())).isEqualTo(json("""
                {"properties": {"clientCertificateAuthentication": {"validationScheme":
                   "SubjectMatchesAuthenticationName"}, "state": "Enabled",
                 "attributes": {"type": "pump", "floor": 3, "zip": "01234", "roles": ["a", "b"]},
                 "description": "north hall"}}"""));
        assertThat(run.out()).contains("name: pump-7\n", "etag: \"e1\"\n", "state: Enabled\n",
                "clientCertificateAuthentication.validationScheme: SubjectMatchesAuthenticationName\n",
                "attributes.floor: 3\n", "attributes.roles: a, b\n", "description: north hall\n");
    }

    @Test
    void anIntegerAttributeBeyondTheLongRangeIsRefusedNotTurnedIntoText() throws Exception {
        CliRun tooBig = run("client", "create", "c", "--attribute", "serial=9223372036854775808");
        CliRun tooSmall = run("client", "create", "c", "--attribute", "serial=-9223372036854775809");

        assertThat(tooBig.exitCode()).isEqualTo(2);
        assertThat(tooBig.err()).contains("--attribute serial=9223372036854775808", "outside the integer range",
                "--attribute-string serial=9223372036854775808");
        assertThat(tooSmall.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();

        server.answer(201, "\"e1\"", PUMP);
        CliRun largest = run("client", "create", "c", "--attribute", "serial=9223372036854775807");

        assertThat(largest.exitCode()).as(largest.err()).isZero();
        assertThat(json(server.requests().get(0).body()).path("properties").path("attributes").path("serial")
                .isIntegralNumber()).isTrue();
    }

    @Test
    void caCertificateCreateSaysALeafIsNotACaAndWhatToGive() {
        CliRun leaf = run("ca-certificate", "create", "devices", "--certificate",
                server.files().deviceCertificate().toString());

        assertThat(leaf.exitCode()).isEqualTo(2);
        assertThat(leaf.err()).contains("--certificate " + server.files().deviceCertificate(),
                "is not a CA certificate (basicConstraints cA=false)", "Give the PEM file of the CA",
                "ThumbprintMatch");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createRefusesAThirdThumbprintAndAMalformedAttributeWithoutSendingAnything() {
        CliRun thumbprints = run("client", "create", "c", "--thumbprint", "A", "--thumbprint", "B",
                "--thumbprint", "C");
        CliRun attribute = run("client", "create", "c", "--attribute", "novalue");
        CliRun twice = run("client", "create", "c", "--attribute", "a=1", "--attribute-string", "a=2");

        assertThat(thumbprints.exitCode()).isEqualTo(2);
        assertThat(thumbprints.err()).contains("--thumbprint", "at most 2");
        assertThat(attribute.exitCode()).isEqualTo(2);
        assertThat(attribute.err()).contains("--attribute novalue: write KEY=VALUE");
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err()).contains("attribute 'a' is given more than once");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void updateReadsTheEtagThenPatchesOnlyTheGivenFieldsWithIfMatch() throws Exception {
        server.answer(200, "\"e1\"", PUMP);
        server.answer(200, "\"e2\"", PUMP.replace("\"Enabled\"", "\"Disabled\""));

        CliRun run = run("client", "update", "pump-7", "--state", "Disabled", "--remove-attribute", "floor",
                "--attribute-list", "roles=");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<FakeAdminServer.Request> requests = server.requests();
        assertThat(requests).extracting(FakeAdminServer.Request::method).containsExactly("GET", "PATCH");
        assertThat(requests.get(1).rawPathAndQuery()).isEqualTo("/api/v1/clients/pump-7");
        assertThat(requests.get(1).header("If-Match")).isEqualTo("\"e1\"");
        assertThat(json(requests.get(1).body())).isEqualTo(json("""
                {"properties": {"state": "Disabled", "attributes": {"roles": [], "floor": null}}}"""));
        assertThat(run.out()).contains("state: Disabled\n");
    }

    @Test
    void updateWithIfMatchSkipsTheReadAndQuotesTheEtag() {
        server.answer(412, """
                {"error": {"code": "PreconditionFailed", "message": "the ETag does not match"}}""");

        CliRun run = run("client-group", "update", "pumps", "--if-match", "stale", "--query",
                "attributes.type = 'pump'");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err()).isEqualTo("error PreconditionFailed: the ETag does not match\n");
        FakeAdminServer.Request request = server.requests().get(0);
        assertThat(server.requests()).hasSize(1);
        assertThat(request.method()).isEqualTo("PATCH");
        assertThat(request.header("If-Match")).isEqualTo("\"stale\"");
    }

    @Test
    void updateWithoutAnyFieldIsAUsageError() {
        CliRun run = run("topic-space", "update", "plant");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Nothing to update");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void deleteSendsIfMatchWhenGivenAndConfirms() {
        server.answer(204, null);

        CliRun run = run("permission-binding", "delete", "pumps-pub", "--if-match", "\"e9\"");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Deleted permission binding 'pumps-pub'.\n");
        FakeAdminServer.Request request = server.requests().get(0);
        assertThat(request.method()).isEqualTo("DELETE");
        assertThat(request.rawPathAndQuery()).isEqualTo("/api/v1/permissionBindings/pumps-pub");
        assertThat(request.header("If-Match")).isEqualTo("\"e9\"");
    }

    @Test
    void deleteWithJsonOutputPrintsNothing() {
        server.answer(204, null);

        CliRun run = run("client", "delete", "pump-7", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(server.requests().get(0).header("If-Match")).isNull();
    }

    @Test
    void listPrintsAnAlignedTableOfEveryPageFollowingNextLink() {
        server.answer(200, """
                {"value": [%s], "nextLink": "/api/v1/clients?filter=pu&skipToken=t%%2B1"}""".formatted(PUMP));
        server.answer(200, """
                {"value": [{"name": "pump-10", "origin": "configuration", "etag": "\\"x\\"",
                  "properties": {"authenticationName": "pump-ten", "state": "Disabled",
                    "clientCertificateAuthentication": {"validationScheme": "ThumbprintMatch",
                      "allowedThumbprints": ["AB"]}}}]}""");

        CliRun run = run("client", "list", "--filter", "pu");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.requests()).extracting(FakeAdminServer.Request::rawPathAndQuery)
                .containsExactly("/api/v1/clients?filter=pu", "/api/v1/clients?filter=pu&skipToken=t%2B1");
        assertThat(run.out()).isEqualTo("""
                NAME     AUTHENTICATION NAME  STATE     SCHEME                            ORIGIN
                pump-7   pump-7               Enabled   SubjectMatchesAuthenticationName  api
                pump-10  pump-ten             Disabled  ThumbprintMatch                   configuration
                """);
    }

    @Test
    void listAsJsonJoinsAllPagesIntoOneValueArray() throws Exception {
        server.answer(200, """
                {"value": [{"name": "a", "properties": {"query": "q1"}}],
                 "nextLink": "/api/v1/clientGroups?skipToken=2"}""");
        server.answer(200, """
                {"value": [{"name": "b", "properties": {"query": "q2"}}]}""");

        CliRun run = run("client-group", "list", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(json(run.out())).isEqualTo(json("""
                {"value": [{"name": "a", "properties": {"query": "q1"}},
                           {"name": "b", "properties": {"query": "q2"}}]}"""));
    }

    @Test
    void listWithTopPrintsOnePageAndTheSkipTokenThatContinues() throws Exception {
        String page = """
                {"value": [{"name": "plant", "origin": "api", "properties": {"topicTemplates": ["a/#", "b/+"]}}],
                 "nextLink": "/api/v1/topicSpaces?top=1&skipToken=abc%3D"}""";
        server.answer(200, page);
        server.answer(200, page);

        CliRun table = run("topic-space", "list", "--top", "1");
        CliRun asJson = run("topic-space", "list", "--top", "1", "--skip-token", "abc=", "--output", "json");

        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).isEqualTo("NAME   TEMPLATES  ORIGIN\nplant  a/#, b/+   api\n");
        assertThat(table.err()).contains("add --skip-token abc=");
        assertThat(json(asJson.out())).isEqualTo(json(page));
        assertThat(server.requests()).extracting(FakeAdminServer.Request::rawPathAndQuery)
                .containsExactly("/api/v1/topicSpaces?top=1", "/api/v1/topicSpaces?top=1&skipToken=abc%3D");
    }

    @Test
    void listRefusesATopOutsideTheContractRange() {
        assertThat(run("client", "list", "--top", "0").exitCode()).isEqualTo(2);
        assertThat(run("client", "list", "--top", "1001").exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void showPrintsKeyValueLinesOrTheApiJson() throws Exception {
        server.answer(200, "\"e1\"", PUMP);
        server.answer(200, "\"e1\"", PUMP);

        CliRun lines = run("client", "show", "pump-7");
        CliRun asJson = run("client", "show", "pump-7", "-o", "json");

        assertThat(lines.out()).isEqualTo("""
                name: pump-7
                origin: api
                etag: "e1"
                authenticationName: pump-7
                clientCertificateAuthentication.validationScheme: SubjectMatchesAuthenticationName
                clientCertificateAuthentication.allowedThumbprints: -
                state: Enabled
                attributes.type: pump
                attributes.floor: 3
                attributes.roles: a, b
                attributes.site: ""
                description: north hall
                """);
        assertThat(json(asJson.out())).isEqualTo(json(PUMP));
        assertThat(asJson.out()).contains("\n  \"name\" : \"pump-7\"");
    }

    @Test
    void namesArePercentEncodedAsOnePathSegment() {
        server.answer(200, PUMP);

        run("client", "show", "a b/c#d");

        assertThat(server.requests().get(0).rawPathAndQuery()).isEqualTo("/api/v1/clients/a%20b%2Fc%23d");
    }

    @Test
    void caCertificateCreateSendsThePemText() throws Exception {
        String pem = Files.readString(server.files().otherCaFile());
        server.answer(201, "\"c1\"", """
                {"name": "devices", "origin": "api", "etag": "\\"c1\\"", "properties": {"encodedCertificate": "x",
                 "thumbprint": "AB12", "expiryTimeInUtc": "2036-01-01T00:00:00Z"}}""");

        CliRun run = run("ca-certificate", "create", "devices", "--certificate",
                server.files().otherCaFile().toString(), "--description", "device CA");

        assertThat(run.exitCode()).as(run.err()).isZero();
        FakeAdminServer.Request request = server.requests().get(0);
        assertThat(request.rawPathAndQuery()).isEqualTo("/api/v1/caCertificates/devices");
        assertThat(json(request.body()).path("properties").path("encodedCertificate").asText()).isEqualTo(pem);
        assertThat(json(request.body()).path("properties").path("description").asText()).isEqualTo("device CA");
        assertThat(run.out()).contains("encodedCertificate: (PEM certificate; -o json shows it)", "thumbprint: AB12");
    }

    @Test
    void caCertificateCreateNeedsAPemFile() throws Exception {
        Path notPem = directory.resolve("not.pem");
        Files.writeString(notPem, "hello");

        CliRun missing = run("ca-certificate", "create", "devices");
        CliRun wrong = run("ca-certificate", "create", "devices", "--certificate", notPem.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing --certificate FILE");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--certificate " + notPem, "BEGIN CERTIFICATE");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void clientGroupTopicSpaceAndBindingCreateSendTheirFields() throws Exception {
        server.answer(201, "{\"name\": \"pumps\", \"properties\": {}}");
        server.answer(201, "{\"name\": \"plant\", \"properties\": {}}");
        server.answer(201, "{\"name\": \"pumps-pub\", \"properties\": {}}");

        CliRun group = run("client-group", "create", "pumps", "--query", "attributes.type = 'pump'");
        CliRun space = run("topic-space", "create", "plant", "--template", "plant/${client.attributes.line}/#",
                "--template", "alarms/#");
        CliRun binding = run("permission-binding", "create", "pumps-pub", "--client-group", "pumps",
                "--topic-space", "plant", "--permission", "Publisher");

        assertThat(List.of(group.exitCode(), space.exitCode(), binding.exitCode())).containsOnly(0);
        List<FakeAdminServer.Request> requests = server.requests();
        assertThat(requests).extracting(FakeAdminServer.Request::rawPathAndQuery).containsExactly(
                "/api/v1/clientGroups/pumps", "/api/v1/topicSpaces/plant", "/api/v1/permissionBindings/pumps-pub");
        assertThat(requests).allSatisfy(r -> assertThat(r.header("If-None-Match")).isEqualTo("*"));
        assertThat(json(requests.get(0).body())).isEqualTo(json(
                "{\"properties\": {\"query\": \"attributes.type = 'pump'\"}}"));
        assertThat(json(requests.get(1).body())).isEqualTo(json(
                "{\"properties\": {\"topicTemplates\": [\"plant/${client.attributes.line}/#\", \"alarms/#\"]}}"));
        assertThat(json(requests.get(2).body())).isEqualTo(json("""
                {"properties": {"clientGroupName": "pumps", "topicSpaceName": "plant", "permission": "Publisher"}}"""));
    }

    @Test
    void createNamesTheMissingRequiredOptions() {
        CliRun group = run("client-group", "create", "pumps");
        CliRun space = run("topic-space", "create", "plant");
        CliRun binding = run("permission-binding", "create", "b", "--client-group", "g");
        CliRun permission = run("permission-binding", "create", "b", "--permission", "Owner");

        assertThat(group.exitCode()).isEqualTo(2);
        assertThat(group.err()).contains("Missing --query");
        assertThat(space.exitCode()).isEqualTo(2);
        assertThat(space.err()).contains("Missing --template");
        assertThat(binding.exitCode()).isEqualTo(2);
        assertThat(binding.err()).contains("--topic-space SPACE", "--permission Publisher|Subscriber");
        assertThat(permission.exitCode()).isEqualTo(2);
        assertThat(permission.err()).contains("Publisher, Subscriber");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void everyVerbAndGroupHasHelpWithTheExitCodes() {
        // One command tree for all usage texts: building it per run is what makes CLI tests slow.
        CommandLine portcullis = new CommandLine(new PortcullisCommand());
        for (String group : List.of("ca-certificate", "client", "client-group", "topic-space", "permission-binding")) {
            CommandLine groupCommand = portcullis.getSubcommands().get(group);
            assertThat(groupCommand.getUsageMessage()).contains("Commands:", "Exit codes:");
            for (String verb : List.of("create", "show", "list", "update", "delete")) {
                assertThat(groupCommand.getSubcommands().get(verb).getUsageMessage()).as(group + " " + verb)
                        .contains("Usage: portcullis " + group + " " + verb, "--url=URL", "--dev=DIR", "-o, --output",
                                "Exit codes:", "  7   conflict");
            }
        }
        CliRun help = CliRun.run("client", "update", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--remove-attribute=KEY", "--if-match=ETAG");
        assertThat(portcullis.getSubcommands().get("topic-space").getSubcommands().get("create").getUsageMessage())
                .contains("'plant/${client.attributes.", "leaves ${...} alone").doesNotContain("null");
        assertThat(CliRun.run("client").exitCode()).isEqualTo(2);
    }
}
