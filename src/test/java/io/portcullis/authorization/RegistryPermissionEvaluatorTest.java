package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.Permission;
import io.portcullis.registry.Registry;
import io.portcullis.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.portcullis.authorization.TestRegistries.binding;
import static io.portcullis.authorization.TestRegistries.client;
import static io.portcullis.authorization.TestRegistries.group;
import static io.portcullis.authorization.TestRegistries.registry;
import static io.portcullis.authorization.TestRegistries.space;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryPermissionEvaluatorTest {
    static final Registry REGISTRY = registry(
            List.of(
                    client("pump-3", "Pump-3", "type", "sensor", "floor", 3, "site", "north"),
                    client("pump-4", "Pump-4", "type", "sensor", "floor", 4, "site", "north"),
                    client("gw-1", "gw-1", "type", "gateway", "tags", List.of("a", "b")),
                    client("nobody", "nobody"),
                    client("off", "off", ClientState.Disabled, "type", "sensor", "floor", 1)),
            List.of(
                    group("sensors", "attributes.type = 'sensor'"),
                    group("gateways", "attributes.type = 'gateway'")),
            List.of(
                    space("telemetry", "plant/${client.authenticationName}/telemetry/#",
                            "site/${client.attributes.site}/+/status"),
                    space("commands", "plant/${client.authenticationName}/commands", "broadcast/#"),
                    space("floors", "floor/${client.attributes.floor}/#")),
            List.of(
                    binding("sensors-pub", "sensors", "telemetry", Permission.Publisher),
                    binding("sensors-sub", "sensors", "commands", Permission.Subscriber),
                    binding("everyone-floors", "$all", "floors", Permission.Subscriber),
                    binding("gateways-pub", "gateways", "floors", Permission.Publisher)));

    private final RegistryPermissionEvaluator evaluator = new RegistryPermissionEvaluator();

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "pump-3 | pub | plant/Pump-3/telemetry/temp | sensors-pub     | telemetry | "
                    + "plant/${client.authenticationName}/telemetry/#",
            "pump-3 | pub | plant/Pump-3/telemetry      | sensors-pub     | telemetry | "
                    + "plant/${client.authenticationName}/telemetry/#",
            "pump-3 | pub | site/north/line-2/status    | sensors-pub     | telemetry | "
                    + "site/${client.attributes.site}/+/status",
            "pump-4 | pub | plant/Pump-4/telemetry/x/y  | sensors-pub     | telemetry | "
                    + "plant/${client.authenticationName}/telemetry/#",
            "pump-3 | sub | plant/Pump-3/commands       | sensors-sub     | commands  | "
                    + "plant/${client.authenticationName}/commands",
            "pump-3 | sub | broadcast/#                 | sensors-sub     | commands  | broadcast/#",
            "pump-3 | sub | broadcast/+/x               | sensors-sub     | commands  | broadcast/#",
            "pump-3 | sub | broadcast                   | sensors-sub     | commands  | broadcast/#",
            "pump-3 | sub | floor/3/+                   | everyone-floors | floors    | "
                    + "floor/${client.attributes.floor}/#",
    })
    void allowsWithTheGrantingBindingAndUnsubstitutedTemplate(String clientName, String operation, String topic,
                                                             String binding, String space, String template) {
        AccessDecision decision = check(clientName, operation, topic);

        assertThat(decision).isEqualTo(AccessDecision.allow(binding, space, template));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "pump-3 | pub | plant/pump-3/telemetry/temp | no permission binding allows publishing to "
                    + "'plant/pump-3/telemetry/temp'",
            "pump-3 | pub | plant/Pump-4/telemetry/temp | no permission binding allows publishing",
            "pump-3 | pub | site/south/x/status         | no permission binding allows publishing",
            "pump-3 | pub | plant/+/telemetry           | is not a valid topic name",
            "pump-3 | pub | $SYS/x                      | topics starting with '$' are reserved for the broker",
            "pump-3 | sub | $SYS/#                      | topics starting with '$' are reserved for the broker",
            "pump-3 | sub | $share/g/broadcast/x        | shared subscription",
            "pump-3 | sub | plant/+/commands            | template 'plant/${client.authenticationName}/commands' "
                    + "of topic space 'commands' (binding 'sensors-sub') does not cover every topic of "
                    + "'plant/+/commands'",
            "pump-3 | sub | #                           | does not cover every topic of '#'",
            "pump-3 | sub | floor/4/x                   | no permission binding allows subscribing to 'floor/4/x'",
            "pump-3 | sub | a/#/b                       | is not a valid topic filter",
            "gw-1   | pub | floor/1/x                   | no permission binding allows publishing to 'floor/1/x'; "
                    + "template 'floor/${client.attributes.floor}/#' of topic space 'floors' "
                    + "(binding 'gateways-pub') grants this client nothing because attribute 'floor' is missing",
            "gw-1   | sub | broadcast/x                 | attribute 'floor' is missing",
            "nobody | pub | a                           | the client is not a member of any client group with a "
                    + "Publisher binding",
            "off    | pub | floor/1/x                   | the client is disabled",
            "off    | sub | floor/1/x                   | the client is disabled",
    })
    void deniesWithAReason(String clientName, String operation, String topic, String reason) {
        AccessDecision decision = check(clientName, operation, topic);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.bindingName()).isNull();
        assertThat(decision.reason()).contains(reason);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {"pump-3 | true", "gw-1 | false", "nobody | false", "off | false"})
    void knowsWhetherAnyPermissionIsHeld(String clientName, boolean expected) {
        assertThat(permissions(clientName).hasAnyPermission()).isEqualTo(expected);
    }

    @Test
    void clientsSharingBindingsKeepTheirOwnValues() {
        ClientPermissions three = permissions("pump-3");
        ClientPermissions four = permissions("pump-4");

        assertThat(three.checkPublish("plant/Pump-3/telemetry/t").allowed()).isTrue();
        assertThat(three.checkPublish("plant/Pump-4/telemetry/t").allowed()).isFalse();
        assertThat(four.checkPublish("plant/Pump-4/telemetry/t").allowed()).isTrue();
        assertThat(four.checkPublish("plant/Pump-3/telemetry/t").allowed()).isFalse();
        assertThat(four.checkSubscribe("floor/4/#").allowed()).isTrue();
        assertThat(four.checkSubscribe("floor/3/#").allowed()).isFalse();
    }

    @Test
    void sharesOneDirectionsIndexWhenOnlyTheOtherDirectionDiffers() {
        CompiledRegistry compiled = new CompiledRegistry(REGISTRY);
        var pump = compiled.applicableBindings(REGISTRY.clients().get("pump-3"));
        var gateway = compiled.applicableBindings(REGISTRY.clients().get("gw-1"));
        var nobody = compiled.applicableBindings(REGISTRY.clients().get("nobody"));

        assertThat(compiled.index(pump, Permission.Publisher))
                .isSameAs(compiled.index(compiled.applicableBindings(REGISTRY.clients().get("pump-4")),
                        Permission.Publisher));
        assertThat(compiled.index(gateway, Permission.Subscriber))
                .isSameAs(compiled.index(nobody, Permission.Subscriber));
        assertThat(compiled.index(gateway, Permission.Publisher))
                .isNotSameAs(compiled.index(nobody, Permission.Publisher));
    }

    @Test
    void followsANewSnapshot() {
        Registry narrowed = registry(List.copyOf(REGISTRY.clients().values()),
                List.of(group("sensors", "attributes.floor > 3")),
                List.copyOf(REGISTRY.topicSpaces().values()),
                List.copyOf(REGISTRY.permissionBindings().values()));
        Client pump = REGISTRY.clients().get("pump-3");

        assertThat(evaluator.permissionsFor(pump, REGISTRY).checkPublish("plant/Pump-3/telemetry").allowed())
                .isTrue();
        assertThat(evaluator.permissionsFor(pump, narrowed).checkPublish("plant/Pump-3/telemetry").allowed())
                .isFalse();
        assertThat(evaluator.permissionsFor(pump, REGISTRY).checkPublish("plant/Pump-3/telemetry").allowed())
                .isTrue();
    }

    @Test
    void brokenQueriesTemplatesAndReferencesGrantNothing() {
        Registry broken = registry(List.of(client("c", "c", "type", "sensor")),
                List.of(group("bad", "attributes.type = "), group("good", "attributes.type = 'sensor'")),
                List.of(space("space", "a/#/b", "ok/#")),
                List.of(binding("b1", "bad", "space", Permission.Publisher),
                        binding("b2", "missing", "space", Permission.Publisher),
                        binding("b3", "good", "missing", Permission.Publisher),
                        binding("b4", "good", "space", Permission.Subscriber)));
        ClientPermissions permissions = evaluator.permissionsFor(broken.clients().get("c"), broken);

        assertThat(permissions.checkPublish("ok/x").allowed()).isFalse();
        assertThat(permissions.checkPublish("a/x/b").allowed()).isFalse();
        assertThat(permissions.checkSubscribe("ok/x")).isEqualTo(AccessDecision.allow("b4", "space", "ok/#"));
    }

    @Test
    void redefinedAllStillHoldsEveryClient() {
        Registry redefined = registry(List.of(client("c", "c")), List.of(group("$all", "attributes.x = 1")),
                List.of(space("space", "a")), List.of(binding("b", "$all", "space", Permission.Publisher)));

        assertThat(evaluator.permissionsFor(redefined.clients().get("c"), redefined).checkPublish("a").allowed())
                .isTrue();
    }

    /**
     * The trie must agree with template-by-template checking: publish allowed exactly when some
     * substituted template matches the topic, subscribe exactly when one covers the filter.
     */
    @Test
    void agreesWithCheckingEveryTemplateOnRandomRegistries() {
        Random random = new Random(11);
        List<String> names = TopicCoverageTest.FilterGenerator.allNames(4);
        Client client = client("c", "a", "k", "b", "n", 7, "arr", List.of("a"));
        String[] variableLevels = {"${client.authenticationName}", "x${client.attributes.k}",
                "${client.attributes.n}", "${client.attributes.arr}", "${client.attributes.none}"};
        for (int round = 0; round < 200; round++) {
            List<String> templates = new ArrayList<>();
            for (int t = 0; t < 1 + random.nextInt(6); t++) {
                String filter = TopicCoverageTest.FilterGenerator.filter(random, 3, false);
                if (filter.isEmpty()) {
                    continue;
                }
                String[] levels = filter.split("/", -1);
                if (random.nextBoolean() && !levels[0].equals("#")) {
                    levels[random.nextInt(levels.length - (filter.endsWith("#") ? 1 : 0))] =
                            variableLevels[random.nextInt(variableLevels.length)];
                }
                templates.add(String.join("/", levels));
            }
            Registry registry = registry(List.of(client), List.of(), List.of(space("space",
                    templates.toArray(new String[0]))), List.of(
                    binding("pub", "$all", "space", Permission.Publisher),
                    binding("sub", "$all", "space", Permission.Subscriber)));
            List<String> granted = new ArrayList<>();
            for (String template : templates) {
                TopicTemplate.Substitution substitution = TopicTemplate.parse(template).substitute(client);
                if (substitution.grantsSomething()) {
                    granted.add(substitution.filter());
                }
            }
            ClientPermissions permissions = new RegistryPermissionEvaluator().permissionsFor(client, registry);

            assertThat(permissions.hasAnyPermission()).isEqualTo(!granted.isEmpty());
            for (String name : names) {
                boolean expected = !name.startsWith("$") && !name.isEmpty()
                        && granted.stream().anyMatch(f -> Topics.matches(f, name));
                assertThat(permissions.checkPublish(name).allowed()).as("%s publish %s", templates, name)
                        .isEqualTo(expected);
            }
            for (int r = 0; r < 20; r++) {
                String request = TopicCoverageTest.FilterGenerator.filter(random, 4, true);
                boolean expected = !request.startsWith("$") && !request.isEmpty()
                        && granted.stream().anyMatch(f -> TopicCoverage.covers(f, request));
                AccessDecision decision = permissions.checkSubscribe(request);
                assertThat(decision.allowed()).as("%s subscribe %s", templates, request).isEqualTo(expected);
                if (!expected && !request.startsWith("$") && !request.isEmpty()) {
                    boolean partly = granted.stream().anyMatch(f -> TopicCoverage.overlaps(f, request));
                    assertThat(decision.reason().contains("does not cover")).as("%s partly %s", templates, request)
                            .isEqualTo(partly);
                }
            }
        }
    }

    private ClientPermissions permissions(String clientName) {
        return evaluator.permissionsFor(REGISTRY.clients().get(clientName), REGISTRY);
    }

    private AccessDecision check(String clientName, String operation, String topic) {
        ClientPermissions permissions = permissions(clientName);
        return operation.equals("pub") ? permissions.checkPublish(topic) : permissions.checkSubscribe(topic);
    }
}
