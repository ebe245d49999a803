package io.portcullis.admin.composition;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.broker.Configurations;
import io.portcullis.persistence.StoreException;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.registry.TopicSpace;
import io.portcullis.registry.ValidationScheme;
import io.portcullis.testsupport.TestCertificates;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Composition of file-declared and API-made resources, and the checks of API changes, without HTTP. */
class RegistryComposerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Registry FILE = new Registry(NamespaceSettings.DEFAULTS, List.of(),
            List.of(new Client("file-client", "file-client", ValidationScheme.SubjectMatchesAuthenticationName,
                    List.of(), ClientState.Enabled, Map.of(), "")),
            List.of(new ClientGroup("file-group", "attributes.type = 'sensor'", "")),
            List.of(new TopicSpace("file-space", List.of("sensors/#"), "")),
            List.of(new PermissionBinding("file-binding", "file-group", "file-space", Permission.Publisher, "")));

    private RecordingStore store;
    private RegistryHolder holder;
    private RegistryComposer composer;
    private final List<Registry> swaps = new ArrayList<>();

    @BeforeEach
    void open() throws StoreException {
        store = new RecordingStore();
        holder = new RegistryHolder(FILE);
        holder.onChange((previous, next) -> swaps.add(next));
        composer = RegistryComposer.open(holder, FILE, store, Configurations.queryCheck(),
                Configurations.templateCheck());
        swaps.clear();
    }

    private static ObjectNode entry(String json) throws Exception {
        // Tests write JSON strings in backticks, so that queries can keep their single quotes.
        return (ObjectNode) JSON.readTree(json.replace('`', '"'));
    }

    private RegistryComposer.Applied put(ResourceKind kind, String name, String json) throws Exception {
        ObjectNode entry = entry(json);
        return composer.put(kind, name, existing -> entry, Precondition.NONE);
    }

    private void makePumpsAllowed() throws Exception {
        put(ResourceKind.CLIENTS, "pump-7", "{`attributes`: {`type`: `pump`}}");
        put(ResourceKind.CLIENT_GROUPS, "pumps", "{`query`: `attributes.type = 'pump'`}");
        put(ResourceKind.TOPIC_SPACES, "plant", "{`topicTemplates`: [`plant/${client.authenticationName}/#`]}");
        put(ResourceKind.PERMISSION_BINDINGS, "pumps-pub",
                "{`clientGroupName`: `pumps`, `topicSpaceName`: `plant`, `permission`: `Publisher`}");
    }

    @Test
    void apiResourcesJoinTheFileOnesInOneSwapEach() throws Exception {
        makePumpsAllowed();

        Registry registry = holder.current();
        assertThat(registry.clients()).containsKeys("file-client", "pump-7");
        assertThat(registry.permissionBindings()).containsKeys("file-binding", "pumps-pub");
        assertThat(swaps).hasSize(4);
        assertThat(store.saved).containsKeys("clients/pump-7", "clientGroups/pumps", "topicSpaces/plant",
                "permissionBindings/pumps-pub");
        ResourceView client = composer.current().view(ResourceKind.CLIENTS, "pump-7").orElseThrow();
        assertThat(client.origin()).isEqualTo(Origin.API);
        // Normalized: the defaults the loader fills in are written out.
        assertThat(client.entry().path("authenticationName").asText()).isEqualTo("pump-7");
        assertThat(client.entry().path("state").asText()).isEqualTo("Enabled");
        assertThat(composer.current().view(ResourceKind.CLIENTS, "file-client").orElseThrow().origin())
                .isEqualTo(Origin.CONFIGURATION);
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "clientGroups       | bad-query | {`query`: `attributes.type = `}                         | query",
            "clientGroups       | no-query  | {}                                                        | query",
            "topicSpaces        | bad-space | {`topicTemplates`: [`a/#/b`]}                              | topicTemplates[0]",
            "topicSpaces        | empty     | {`topicTemplates`: []}                                     | topicTemplates",
            "clients            | pump-8    | {`state`: `Sleeping`}                                      | state",
            "clients            | pump-9    | {`attributes`: {`bad key`: `x`}}                           | attributes.bad key",
            "clients            | pump-10   | {`clientCertificateAuthentication`: {`validationScheme`: `ThumbprintMatch`}}"
                    + " | clientCertificateAuthentication.allowedThumbprints",
            "clients            | pump-11   | {`colour`: `red`}                                          | colour",
            "clientGroups       | x         | {`query`: `attributes.a = 'b'`}                          | name",
            "permissionBindings | dangling  | {`clientGroupName`: `nope`, `topicSpaceName`: `file-space`,"
                    + " `permission`: `Publisher`} | clientGroupName",
            "permissionBindings | no-perm   | {`clientGroupName`: `file-group`, `topicSpaceName`: `file-space`}"
                    + " | permission",
            "caCertificates     | some-ca   | {`certificate`: `not pem`}                                 | certificate",
    })
    void refusesInvalidFieldsNamingTheField(String collection, String name, String json, String field) {
        ResourceKind kind = ResourceKind.ofCollection(collection).orElseThrow();

        assertThatThrownBy(() -> put(kind, name, json))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(ChangeRejected.Reason.VALIDATION_FAILED);
                    assertThat(rejected.problems()).extracting(FieldProblem::field).contains(field);
                });
        assertThat(swaps).isEmpty();
        assertThat(store.saved).isEmpty();
    }

    @Test
    void refusesAnAdminCaForDevicesWhileItIsOne() throws Exception {
        TestCertificates.Issued adminCa = TestCertificates.rootCa("Admin CA");
        TestCertificates.Issued deviceCa = TestCertificates.rootCa("Device CA");
        List<X509Certificate> adminCas = new ArrayList<>(List.of(adminCa.certificate()));
        composer.reserveForAdmin(() -> List.copyOf(adminCas));
        String adminPem = "{`certificate`: " + JSON.writeValueAsString(TestCertificates.pem(adminCa)).replace('"', '`')
                + "}";

        assertThatThrownBy(() -> put(ResourceKind.CA_CERTIFICATES, "admin-ca", adminPem))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(ChangeRejected.Reason.VALIDATION_FAILED);
                    assertThat(rejected.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.field()).isEqualTo("certificate");
                        assertThat(problem.problem()).contains("the admin CA is never trusted for MQTT");
                    });
                });
        assertThat(swaps).isEmpty();
        assertThat(store.saved).isEmpty();

        put(ResourceKind.CA_CERTIFICATES, "device-ca", "{`certificate`: "
                + JSON.writeValueAsString(TestCertificates.pem(deviceCa)).replace('"', '`') + "}");
        adminCas.clear();
        put(ResourceKind.CA_CERTIFICATES, "admin-ca", adminPem);
        assertThat(holder.current().caCertificates()).containsKeys("device-ca", "admin-ca");
    }

    @Test
    void refusesTheCaThatIssuedAnAdminCa() throws Exception {
        TestCertificates.Issued root = TestCertificates.rootCa("Shared Root");
        TestCertificates.Issued adminCa = TestCertificates.intermediateCa("Admin Intermediate", root);
        composer.reserveForAdmin(() -> List.of(adminCa.certificate()));
        String rootPem = "{`certificate`: " + JSON.writeValueAsString(TestCertificates.pem(root)).replace('"', '`')
                + "}";

        assertThatThrownBy(() -> put(ResourceKind.CA_CERTIFICATES, "root", rootPem))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected -> assertThat(rejected.problems())
                        .singleElement().satisfies(problem -> assertThat(problem.problem())
                                .contains("issued an admin CA certificate")));
        assertThat(store.saved).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "clients      | pump-7    | {`authenticationName`: `FILE-CLIENT`}                | CONFLICT",
            "clientGroups | FILE-group| {`query`: `attributes.a = 'b'`}                    | CONFLICT",
            "clients      | file-client | {}                                                 | DECLARED_IN_CONFIGURATION",
            "topicSpaces  | file-space  | {`topicTemplates`: [`x/#`]}                        | DECLARED_IN_CONFIGURATION",
    })
    void refusesConflicts(String collection, String name, String json, ChangeRejected.Reason reason) {
        ResourceKind kind = ResourceKind.ofCollection(collection).orElseThrow();

        assertThatThrownBy(() -> put(kind, name, json))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected ->
                        assertThat(rejected.reason()).isEqualTo(reason));
        assertThat(swaps).isEmpty();
    }

    @Test
    void refusesToChangeAnAuthenticationName() throws Exception {
        put(ResourceKind.CLIENTS, "pump-7", "{}");

        assertThatThrownBy(() -> put(ResourceKind.CLIENTS, "pump-7", "{`authenticationName`: `other`}"))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(ChangeRejected.Reason.CONFLICT);
                    assertThat(rejected.problems()).extracting(FieldProblem::field)
                            .containsExactly("authenticationName");
                });
    }

    @Test
    void refusesToDeleteWhatABindingUsesAndAllowsItOnceTheBindingIsGone() throws Exception {
        makePumpsAllowed();

        assertThatThrownBy(() -> composer.delete(ResourceKind.CLIENT_GROUPS, "pumps", Precondition.NONE))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(ChangeRejected.Reason.CONFLICT);
                    assertThat(rejected.problems()).extracting(FieldProblem::name).containsExactly("pumps-pub");
                });
        composer.delete(ResourceKind.PERMISSION_BINDINGS, "pumps-pub", Precondition.NONE);
        composer.delete(ResourceKind.CLIENT_GROUPS, "pumps", Precondition.NONE);

        assertThat(holder.current().clientGroups()).containsOnlyKeys("file-group");
        assertThat(store.saved).doesNotContainKeys("clientGroups/pumps", "permissionBindings/pumps-pub");
    }

    @Test
    void honoursEntityTagPreconditions() throws Exception {
        String first = put(ResourceKind.CLIENT_GROUPS, "pumps", "{`query`: `attributes.type = 'pump'`}")
                .view().etag();
        ObjectNode changed = entry("{`query`: `attributes.type = 'valve'`}");

        String second = composer.put(ResourceKind.CLIENT_GROUPS, "pumps", existing -> changed,
                new Precondition(first, false)).view().etag();

        assertThat(second).isNotEqualTo(first).matches("\"[0-9a-f]{16}\"");
        assertThatThrownBy(() -> composer.put(ResourceKind.CLIENT_GROUPS, "pumps", existing -> changed,
                new Precondition(first, false)))
                .isInstanceOfSatisfying(ChangeRejected.class, rejected ->
                        assertThat(rejected.reason()).isEqualTo(ChangeRejected.Reason.PRECONDITION_FAILED));
        assertThatThrownBy(() -> composer.put(ResourceKind.CLIENT_GROUPS, "pumps", existing -> changed,
                new Precondition(null, true)))
                .isInstanceOf(ChangeRejected.class);
        assertThatThrownBy(() -> composer.delete(ResourceKind.CLIENT_GROUPS, "pumps", new Precondition(first, false)))
                .isInstanceOf(ChangeRejected.class);
        composer.delete(ResourceKind.CLIENT_GROUPS, "pumps", new Precondition(second, false));
    }

    @Test
    void fileWinsANameClashAndTheApiCopyComesBackWhenTheFileDropsIt() throws Exception {
        put(ResourceKind.CLIENT_GROUPS, "pumps", "{`query`: `attributes.type = 'pump'`}");
        Registry withPumps = new Registry(FILE.settings(), List.of(), List.copyOf(FILE.clients().values()),
                List.of(new ClientGroup("file-group", "attributes.type = 'sensor'", ""),
                        new ClientGroup("pumps", "attributes.type = 'file'", "")),
                List.copyOf(FILE.topicSpaces().values()), List.copyOf(FILE.permissionBindings().values()));

        assertThat(composer.applyConfiguration(withPumps, (previous, next) -> true)).isTrue();

        assertThat(holder.current().clientGroups().get("pumps").query()).isEqualTo("attributes.type = 'file'");
        assertThat(composer.current().view(ResourceKind.CLIENT_GROUPS, "pumps").orElseThrow().origin())
                .isEqualTo(Origin.CONFIGURATION);
        assertThat(composer.current().shadowed()).extracting(StoredResource::key).containsExactly("clientGroups/pumps");
        assertThat(store.saved).containsKey("clientGroups/pumps");

        composer.applyConfiguration(FILE, (previous, next) -> true);

        assertThat(holder.current().clientGroups().get("pumps").query()).isEqualTo("attributes.type = 'pump'");
        assertThat(composer.current().view(ResourceKind.CLIENT_GROUPS, "pumps").orElseThrow().origin())
                .isEqualTo(Origin.API);
    }

    @Test
    void anApiBindingThatLosesItsFileGroupIsSetAsideUntilTheGroupReturns() throws Exception {
        put(ResourceKind.PERMISSION_BINDINGS, "api-binding",
                "{`clientGroupName`: `file-group`, `topicSpaceName`: `file-space`, `permission`: `Subscriber`}");
        Registry withoutGroup = new Registry(FILE.settings(), List.of(), List.copyOf(FILE.clients().values()),
                List.of(), List.copyOf(FILE.topicSpaces().values()), List.of());

        composer.applyConfiguration(withoutGroup, (previous, next) -> true);

        assertThat(holder.current().permissionBindings()).isEmpty();
        ResourceView binding = composer.current().view(ResourceKind.PERMISSION_BINDINGS, "api-binding")
                .orElseThrow();
        assertThat(binding.isActive()).isFalse();
        assertThat(binding.inactiveReason()).contains("clientGroupName").contains("file-group");

        composer.applyConfiguration(FILE, (previous, next) -> true);

        assertThat(holder.current().permissionBindings()).containsKeys("file-binding", "api-binding");
    }

    @Test
    void reloadThatChangesNothingEffectiveIsNotSwappedWhenTheReloaderSaysSo() {
        List<Registry> seen = new ArrayList<>();

        boolean swapped = composer.applyConfiguration(FILE, (previous, next) -> {
            seen.add(next);
            return !previous.clients().equals(next.clients());
        });

        assertThat(swapped).isFalse();
        assertThat(seen).hasSize(1);
        assertThat(swaps).isEmpty();
    }

    @Test
    void reopeningReadsTheStoredResourcesBack() throws Exception {
        makePumpsAllowed();
        RegistryHolder restarted = new RegistryHolder(FILE);

        RegistryComposer.open(restarted, FILE, store, Configurations.queryCheck(), Configurations.templateCheck());

        assertThat(restarted.current().clients()).containsKeys("file-client", "pump-7");
        assertThat(restarted.current().permissionBindings()).containsKeys("file-binding", "pumps-pub");
    }

    /** Keeps records in a map, as the durable store would, and reads them back in a new composer. */
    private static final class RecordingStore implements ApiResourceStore {
        final Map<String, byte[]> saved = new java.util.TreeMap<>();

        @Override
        public List<StoredResource> load() {
            List<StoredResource> loaded = new ArrayList<>();
            saved.forEach((key, bytes) -> loaded.add(StoredResource.decode(key, bytes)));
            return loaded;
        }

        @Override
        public void save(StoredResource resource) {
            saved.put(resource.key(), resource.encode());
        }

        @Override
        public void remove(StoredResource resource) {
            saved.remove(resource.key());
        }

        @Override
        public boolean isDurable() {
            return true;
        }
    }
}
