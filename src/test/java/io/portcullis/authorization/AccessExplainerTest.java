package io.portcullis.authorization;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.portcullis.authorization.RegistryPermissionEvaluatorTest.REGISTRY;
import static org.assertj.core.api.Assertions.assertThat;

class AccessExplainerTest {
    private final AccessExplainer explainer = new AccessExplainer();
    private final RegistryPermissionEvaluator evaluator = new RegistryPermissionEvaluator();

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "pump-3 | pub | plant/Pump-3/telemetry/t",
            "pump-3 | pub | plant/pump-3/telemetry/t",
            "pump-3 | sub | plant/+/commands",
            "pump-3 | sub | broadcast/#",
            "pump-3 | sub | $SYS/#",
            "gw-1   | pub | floor/1/x",
            "nobody | sub | floor/1",
            "off    | pub | floor/1/x",
    })
    void givesTheSameDecisionAsTheEvaluator(String clientName, String operation, String topic) {
        var permissions = evaluator.permissionsFor(REGISTRY.clients().get(clientName), REGISTRY);
        boolean publish = operation.equals("pub");

        AccessExplanation explanation = publish ? explainer.explainPublish(REGISTRY, clientName, topic)
                : explainer.explainSubscribe(REGISTRY, clientName, topic);

        assertThat(explanation.decision())
                .isEqualTo(publish ? permissions.checkPublish(topic) : permissions.checkSubscribe(topic));
        assertThat(explanation.lines().get(explanation.lines().size() - 1)).startsWith("Decision: ");
    }

    @Test
    void explainsGroupsBindingsAndTemplates() {
        AccessExplanation explanation = explainer.explainPublish(REGISTRY, "pump-3", "plant/Pump-3/telemetry/t");

        assertThat(explanation.lines()).containsExactly(
                "Client 'pump-3' (authentication name 'Pump-3', Enabled).",
                "Member of client groups: $all, sensors.",
                "Not a member of 'gateways': the client does not match its query: attributes.type = 'gateway'",
                "Binding 'sensors-pub' (group 'sensors', topic space 'telemetry', Publisher):",
                "  template 'plant/${client.authenticationName}/telemetry/#' -> 'plant/Pump-3/telemetry/#' "
                        + "matches 'plant/Pump-3/telemetry/t'.",
                "  template 'site/${client.attributes.site}/+/status' -> 'site/north/+/status' "
                        + "does not match 'plant/Pump-3/telemetry/t'.",
                "Binding 'sensors-sub' (group 'sensors', topic space 'commands', Subscriber):",
                "  does not apply: it grants Subscriber and this is a publish.",
                "Binding 'everyone-floors' (group '$all', topic space 'floors', Subscriber):",
                "  does not apply: it grants Subscriber and this is a publish.",
                "Binding 'gateways-pub' (group 'gateways', topic space 'floors', Publisher):",
                "  does not apply: the client is not in group 'gateways'.",
                "Decision: allowed by binding 'sensors-pub', topic space 'telemetry', "
                        + "template 'plant/${client.authenticationName}/telemetry/#'.");
    }

    @Test
    void explainsPartialCoverageAndUnresolvedVariables() {
        String pump = explainer.explainSubscribe(REGISTRY, "Pump-3", "plant/+/commands").text();
        String gateway = explainer.explainPublish(REGISTRY, "gw-1", "floor/1/x").text();

        assertThat(pump).contains("template 'plant/${client.authenticationName}/commands' -> "
                + "'plant/Pump-3/commands' matches only some topics of 'plant/+/commands', so it does not cover it.");
        assertThat(pump).contains("template 'broadcast/#' does not match 'plant/+/commands'.");
        assertThat(gateway).contains("template 'floor/${client.attributes.floor}/#' grants this client nothing: "
                + "attribute 'floor' is missing.");
        assertThat(gateway).endsWith("Decision: denied: no permission binding allows publishing to 'floor/1/x'; "
                + "template 'floor/${client.attributes.floor}/#' of topic space 'floors' (binding 'gateways-pub') "
                + "grants this client nothing because attribute 'floor' is missing.");
    }

    @Test
    void checksTheInnerFilterOfASharedSubscription() {
        AccessExplanation explanation = explainer.explainSubscribe(REGISTRY, "pump-3", "$share/workers/broadcast/x");

        assertThat(explanation.decision()).isEqualTo(AccessDecision.allow("sensors-sub", "commands", "broadcast/#"));
        assertThat(explanation.text()).contains("Shared subscription (share name 'workers'): checking the inner "
                + "filter 'broadcast/x'.");
    }

    @Test
    void saysWhenTheClientIsUnknownOrDisabled() {
        assertThat(explainer.explainPublish(REGISTRY, "ghost", "a").decision().reason())
                .isEqualTo("no client named 'ghost'");
        assertThat(explainer.explainPublish(REGISTRY, "off", "a").text())
                .contains("The client is disabled and holds no permissions.");
    }
}
