package io.portcullis.authorization;

import io.portcullis.registry.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.portcullis.authorization.TestRegistries.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicTemplateTest {
    private static final Client PUMP = client("pump-3", "Pump-3", "floor", 5, "site", "north", "tags",
            List.of("a", "b"), "empty", "", "slashed", "a/b", "plus", "+", "hash", "x#", "negative", -3,
            "nul", "a\u0000b");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "plant/${client.authenticationName}.line1/#          | plant/Pump-3.line1/#",
            "${client.authenticationName}/#                      | Pump-3/#",
            "f/${client.attributes.floor}                        | f/5",
            "f/${client.attributes.negative}/+                   | f/-3/+",
            "${client.attributes.site}/${client.attributes.floor}/+ | north/5/+",
            "x${client.attributes.site}-${client.attributes.floor}y | xnorth-5y",
            "a/b/c                                               | a/b/c",
            "a//+                                                | a//+",
            "a/$b/}                                              | a/$b/}",
            "#                                                   | #",
    })
    void substitutesTheClientsValues(String template, String expected) {
        TopicTemplate.Substitution substitution = TopicTemplate.parse(template).substitute(PUMP);

        assertThat(substitution.grantsSomething()).isTrue();
        assertThat(substitution.filter()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "a/${client.attributes.tags}               | attribute 'tags' is an array",
            "a/${client.attributes.missing}/#          | attribute 'missing' is missing",
            "a/${client.attributes.empty}              | attribute 'empty' is empty",
            "a/${client.attributes.slashed}            | attribute 'slashed' contains '/'",
            "a/${client.attributes.plus}/b             | attribute 'plus' contains '+'",
            "a/x${client.attributes.hash}              | attribute 'hash' contains '#'",
            "a/${client.attributes.nul}                | attribute 'nul' contains U+0000",
            "${client.attributes.floor}/${client.attributes.tags} | attribute 'tags' is an array",
    })
    void grantsNothingWhenAVariableDoesNotResolve(String template, String problem) {
        TopicTemplate.Substitution substitution = TopicTemplate.parse(template).substitute(PUMP);

        assertThat(substitution.grantsSomething()).isFalse();
        assertThat(substitution.filter()).isNull();
        assertThat(substitution.problem()).isEqualTo(problem);
    }

    @Test
    void usesTheRegisteredCasingOfTheAuthenticationName() {
        Client upper = client("c", "FLEET-7");

        assertThat(TopicTemplate.parse("d/${client.authenticationName}").substitute(upper).filter())
                .isEqualTo("d/FLEET-7");
    }

    @Test
    void doesNotExpandVariableSyntaxInsideAValue() {
        Client sneaky = client("c", "x", "v", "${client.authenticationName}");

        assertThat(TopicTemplate.parse("d/${client.attributes.v}").substitute(sneaky).filter())
                .isEqualTo("d/${client.authenticationName}");
    }

    @Test
    void listsDistinctVariablesInOrder() {
        TopicTemplate template = TopicTemplate.parse(
                "${client.attributes.a}/${client.authenticationName}/${client.attributes.a}x");

        assertThat(template.hasVariables()).isTrue();
        assertThat(template.variableNames()).containsExactly("client.attributes.a", "client.authenticationName");
        assertThat(TopicTemplate.parse("a/+/#").hasVariables()).isFalse();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                     | 0  | empty",
            "$SYS/#                                 | 0  | reserved",
            "$share/g/a                             | 0  | reserved",
            "a/${client.authenticationName          | 2  | no '}'",
            "a/${client.auth/x}                     | 2  | never spans levels",
            "a/${client.name}                       | 4  | unknown variable '${client.name}'",
            "a/${}                                  | 4  | unknown variable",
            "a/${client.AuthenticationName}         | 4  | unknown variable",
            "a/${client.attributes.}                | 22 | expected an attribute key",
            "a/${client.attributes.fl-oor}          | 24 | found '-'",
            "a/${client.attributes.a.b}             | 23 | found '.'",
            "a/b+                                   | 3  | '+' must occupy a whole level",
            "a/+b                                   | 2  | '+' must occupy a whole level",
            "a/${client.authenticationName}+        | 30 | '+' must occupy a whole level",
            "a/#/b                                  | 2  | '#' must be the whole last level",
            "a/x#                                   | 3  | '#' must be the whole last level",
            "##                                     | 0  | '#' must be the whole last level",
    })
    void refusesInvalidTemplatesWithThePosition(String template, int position, String problem) {
        assertThatThrownBy(() -> TopicTemplate.parse(template))
                .isInstanceOfSatisfying(TemplateParseException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.problem()).contains(problem);
                });
    }

    @Test
    void refusesUPlus0000() {
        assertThatThrownBy(() -> TopicTemplate.parse("a/b\u0000c"))
                .isInstanceOfSatisfying(TemplateParseException.class, e -> assertThat(e.position()).isEqualTo(3));
    }
}
