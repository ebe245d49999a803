package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.Permission;
import io.portcullis.registry.Registry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.portcullis.authorization.TestRegistries.binding;
import static io.portcullis.authorization.TestRegistries.client;
import static io.portcullis.authorization.TestRegistries.registry;
import static io.portcullis.authorization.TestRegistries.space;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication names and attribute values are chosen by whoever registers or authenticates a
 * client; they must never make a template grant more than the one level the variable stands for.
 */
class IdentityInjectionTest {
    private static final String BIG = "x".repeat(64 * 1024);
    private static final List<String> TEMPLATES = List.of(
            "devices/${client.authenticationName}/#",
            "devices/${client.attributes.tag}/data",
            "${client.authenticationName}/inbox",
            "plant/${client.authenticationName}.line1/+");
    /** Topics and filters no client may reach through the templates above unless its value is that level. */
    private static final List<String> PROBES = List.of("#", "+", "+/#", "devices/#", "devices/+", "devices/+/data",
            "devices/+/#", "devices/other/data", "devices/other/x", "plant/+/+", "plant/#", "+/inbox", "other/inbox",
            "$SYS/inbox", "$SYS/#", "devices", "devices/", "devices//data", "plant/.line1/x");

    static Stream<Arguments> hostileValuesThatMustGrantNothing() {
        return Stream.of("+", "#", "/", "a/b", "a+", "#a", "+/#", "\u0000", "a\u0000", "", BIG + "/", "/" + BIG)
                .map(Arguments::of);
    }

    static Stream<Arguments> oddButSingleLevelValues() {
        return Stream.of("$SYS", "$share", "${client.authenticationName}", "..", "*", "%2F", " ", BIG, "\u00e9\u20ac",
                "a\\b", "other ").map(Arguments::of);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("hostileValuesThatMustGrantNothing")
    void valuesThatWouldReshapeTheFilterGrantNothing(String value) {
        for (ClientPermissions permissions : permissionsFor(value)) {
            assertThat(permissions.hasAnyPermission()).isFalse();
            for (String probe : PROBES) {
                assertThat(permissions.checkPublish(probe).allowed()).as("publish %s", probe).isFalse();
                assertThat(permissions.checkSubscribe(probe).allowed()).as("subscribe %s", probe).isFalse();
            }
        }
        Client client = client("c", value.isEmpty() ? "x" : value, "tag", value);
        assertThat(TopicTemplate.parse("devices/${client.attributes.tag}/data").substitute(client).grantsSomething())
                .isFalse();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("oddButSingleLevelValues")
    void singleLevelValuesGrantExactlyTheirOwnLevel(String value) {
        Client byName = client("c", value, "tag", "t");
        Client byTag = client("c", "n", "tag", value);
        ClientPermissions nameRights = permissionsFor(byName, "devices/${client.authenticationName}/#",
                "${client.authenticationName}/inbox", "plant/${client.authenticationName}.line1/+");
        ClientPermissions tagRights = permissionsFor(byTag, "devices/${client.attributes.tag}/data");

        for (String probe : PROBES) {
            assertThat(nameRights.checkSubscribe(probe).allowed()).as("subscribe %s", probe).isFalse();
            assertThat(tagRights.checkSubscribe(probe).allowed()).as("subscribe %s", probe).isFalse();
            if (!probe.contains("+") && !probe.contains("#")) {
                assertThat(nameRights.checkPublish(probe).allowed()).as("publish %s", probe).isFalse();
                assertThat(tagRights.checkPublish(probe).allowed()).as("publish %s", probe).isFalse();
            }
        }
        assertThat(nameRights.checkPublish("devices/" + value + "/anything").allowed()).isTrue();
        assertThat(nameRights.checkSubscribe("devices/" + value + "/+").allowed()).isTrue();
        assertThat(nameRights.checkPublish("plant/" + value + ".line1/x").allowed()).isTrue();
        assertThat(nameRights.checkPublish(value + "/inbox").allowed()).isEqualTo(!value.startsWith("$"));
        assertThat(tagRights.checkPublish("devices/" + value + "/data").allowed()).isTrue();
        assertThat(tagRights.checkPublish("devices/" + value + "x/data").allowed()).isFalse();
    }

    private static List<ClientPermissions> permissionsFor(String value) {
        return List.of(
                permissionsFor(client("c", value, "tag", "ok"), TEMPLATES.get(0), TEMPLATES.get(2), TEMPLATES.get(3)),
                permissionsFor(client("c", "ok", "tag", value), TEMPLATES.get(1)));
    }

    private static ClientPermissions permissionsFor(Client client, String... templates) {
        Registry registry = registry(List.of(client), List.of(), List.of(space("space", templates)),
                List.of(binding("pub", "$all", "space", Permission.Publisher),
                        binding("sub", "$all", "space", Permission.Subscriber)));
        return new RegistryPermissionEvaluator().permissionsFor(client, registry);
    }
}
