package io.portcullis.authorization;

import io.portcullis.registry.Permission;
import io.portcullis.registry.Registry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.portcullis.authorization.TestRegistries.binding;
import static io.portcullis.authorization.TestRegistries.group;
import static io.portcullis.authorization.TestRegistries.registry;
import static io.portcullis.authorization.TestRegistries.space;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryRulesTest {

    @Test
    void acceptsAValidRegistry() {
        assertThat(RegistryRules.validate(RegistryPermissionEvaluatorTest.REGISTRY)).isEmpty();
    }

    @Test
    void namesEachViolationByItsKeyPath() {
        Registry registry = registry(List.of(),
                List.of(group("sensors", "attributes.type = 'sensor' and"), group("good", "authenticationName = 'a'"),
                        group("$all", "attributes.x = 1")),
                List.of(space("telemetry", "ok/#", "bad/${client.name}", "$SYS/#")),
                List.of(binding("b1", "nope", "telemetry", Permission.Publisher),
                        binding("b2", "$all", "gone", Permission.Subscriber),
                        binding("b3", "good", "telemetry", Permission.Publisher)));

        List<RuleViolation> violations = RegistryRules.validate(registry);

        assertThat(violations).extracting(RuleViolation::path).containsExactly(
                "clientGroups[sensors].query",
                "clientGroups[$all]",
                "topicSpaces[telemetry].topicTemplates[1]",
                "topicSpaces[telemetry].topicTemplates[2]",
                "permissionBindings[b1].clientGroupName",
                "permissionBindings[b2].topicSpaceName");
        assertThat(violations.get(0).message()).contains("position 30", "expected 'authenticationName'");
        assertThat(violations.get(1).message()).contains("built-in");
        assertThat(violations.get(2).message()).contains("position 6", "unknown variable '${client.name}'");
        assertThat(violations.get(3).message()).contains("reserved");
        assertThat(violations.get(4).message()).contains("no client group named 'nope'");
        assertThat(violations.get(5).message()).contains("no topic space named 'gone'");
        assertThat(violations).allSatisfy(violation -> assertThat(violation.fix()).isNotBlank());
    }
}
