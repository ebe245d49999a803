package io.portcullis.authorization;

import io.portcullis.registry.Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.portcullis.authorization.TestRegistries.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupQueryTest {
    private static final Client FLEET = client("fleet-7", "Fleet-7", "type", "sensor", "floor", 5,
            "tags", List.of("red", "blue"), "site", "North", "quote", "it's");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "attributes.a = 1 or attributes.b = 2 and attributes.c = 3 "
                    + "| ((attributes.a = 1) or ((attributes.b = 2) and (attributes.c = 3)))",
            "attributes.a = 1 and attributes.b = 2 or attributes.c = 3 "
                    + "| (((attributes.a = 1) and (attributes.b = 2)) or (attributes.c = 3))",
            "(attributes.a = 1 or attributes.b = 2) and attributes.c = 3 "
                    + "| (((attributes.a = 1) or (attributes.b = 2)) and (attributes.c = 3))",
            "attributes.a = 1 OR attributes.b = 2 AnD attributes.c = 3 "
                    + "| ((attributes.a = 1) or ((attributes.b = 2) and (attributes.c = 3)))",
            "AUTHENTICATIONNAME = 'x'                    | (authenticationName = 'x')",
            "Attributes.Floor >= -2                      | (attributes.Floor >= -2)",
            "attributes.t in ['a', \"b\", 3]             | (attributes.t IN ['a', 'b', 3])",
            "attributes.t IN['a']                        | (attributes.t IN ['a'])",
            "attributes.t <> 'x'                         | (attributes.t != 'x')",
            "attributes.t = 'it''s'                      | (attributes.t = 'it''s')",
            "attributes.t = \"say \"\"hi\"\"\"           | (attributes.t = 'say \"hi\"')",
            "((attributes.a=1))                          | (attributes.a = 1)",
            "  attributes.a<=5 and(attributes.b>1)        | ((attributes.a <= 5) and (attributes.b > 1))",
    })
    void parsesWithAndBindingTighterThanOr(String query, String parsed) {
        assertThat(GroupQuery.parse(query).describe()).isEqualTo(parsed);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "authenticationName = 'fleet-7'                                       | true",
            "authenticationName = \"FLEET-7\"                                     | true",
            "authenticationName != 'fleet-7'                                      | false",
            "authenticationName <> 'other'                                        | true",
            "authenticationName IN ['x', 'FLEET-7']                               | true",
            "authenticationName = 7                                               | false",
            "attributes.type = 'sensor'                                           | true",
            "attributes.type = 'Sensor'                                           | false",
            "attributes.type != 'gateway'                                         | true",
            "attributes.type IN ['sensor','gateway'] and attributes.floor <= 5    | true",
            "attributes.type IN ['gateway']                                       | false",
            "attributes.quote = 'it''s'                                           | true",
            "attributes.floor = 5                                                 | true",
            "attributes.floor != 5                                                | false",
            "attributes.floor <> 4                                                | true",
            "attributes.floor < 5                                                 | false",
            "attributes.floor <= 5                                                | true",
            "attributes.floor > 4                                                 | true",
            "attributes.floor >= 6                                                | false",
            "attributes.floor > -1                                                | true",
            "attributes.floor IN [1, 5]                                           | true",
            "attributes.floor = '5'                                               | false",
            "attributes.floor IN ['5']                                            | false",
            "attributes.type = 5                                                  | false",
            "attributes.type < 3                                                  | false",
            "attributes.type != 3                                                 | false",
            "attributes.tags = 'red'                                              | true",
            "attributes.tags = 'green'                                            | false",
            "attributes.tags != 'green'                                           | true",
            "attributes.tags <> 'red'                                             | false",
            "attributes.tags IN ['green', 'blue']                                 | true",
            "attributes.tags IN ['green']                                         | false",
            "attributes.tags > 1                                                  | false",
            "attributes.missing = 'x'                                             | false",
            "attributes.missing != 'x'                                            | false",
            "attributes.missing IN ['x']                                          | false",
            "attributes.missing < 3                                               | false",
            "attributes.Type = 'sensor'                                           | false",
            "ATTRIBUTES.type = 'sensor'                                           | true",
            "attributes.type = 'x' and attributes.floor = 5 or attributes.site = 'North' | true",
            "attributes.type = 'x' and (attributes.floor = 5 or attributes.site = 'North') | false",
            "attributes.site = 'North' or attributes.missing = 1 and attributes.type = 'x' | true",
            "(attributes.site = 'north' or attributes.floor = 5) and attributes.tags = 'blue' | true",
    })
    void evaluatesAgainstAClient(String query, boolean expected) {
        assertThat(GroupQuery.parse(query).matches(FLEET)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} fails at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                                      | 0  | 'authenticationName'",
            "attributes.floor                        | 16 | a comparison operator",
            "attributes.floor <= 'x'                 | 20 | an integer",
            "authenticationName < 3                  | 19 | =, !=, <> or IN",
            "attributes.type = 'sensor               | 25 | the closing '",
            "attributes.type = \"sensor'             | 26 | the closing \"",
            "attributes.type IN 'a'                  | 19 | '[' after IN",
            "attributes.type IN ['a' 'b']            | 24 | ',' or ']'",
            "attributes.type IN []                   | 20 | a literal",
            "attributes.type IN ['a',]               | 24 | a literal",
            "(attributes.a = 1                       | 17 | ')'",
            "attributes.a = 1 attributes.b = 2       | 17 | 'and', 'or' or the end",
            "attributes.a = 1 and                    | 20 | 'authenticationName'",
            "attributes.a = 1 or or attributes.b = 2 | 20 | 'authenticationName'",
            "name = 'x'                              | 0  | 'authenticationName'",
            "and = 1                                 | 0  | 'authenticationName'",
            "attributes. = 1                         | 11 | an attribute key",
            "attributes.a.b = 1                      | 12 | an attribute key of letters",
            "attributes.a ! 1                        | 14 | '=' after '!'",
            "attributes.a = 1 & attributes.b = 2     | 17 | an operand",
            "attributes.a = 99999999999999999999     | 15 | an integer between",
            "attributes.a == 1                       | 14 | a literal",
            "attributes.a = 12ab                     | 17 | a digit or the end",
            "attributes.a = -                        | 16 | a digit after '-'",
            "attributes.a = x                        | 15 | a literal",
            "attributes.a = 1)                       | 16 | 'and', 'or' or the end",
    })
    void reportsWhereAndWhatWasExpected(String query, int position, String expected) {
        assertThatThrownBy(() -> GroupQuery.parse(query))
                .isInstanceOfSatisfying(QueryParseException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.expected()).contains(expected);
                    assertThat(e.getMessage()).startsWith("query does not parse at position " + position + ":");
                });
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "(".repeat(100_000) + "attributes.a = 1" + ")".repeat(100_000);

        assertThatThrownBy(() -> GroupQuery.parse(deep))
                .isInstanceOfSatisfying(QueryParseException.class, e -> {
                    assertThat(e.position()).isEqualTo(QueryParser.MAXIMUM_NESTING);
                    assertThat(e.expected()).contains("nested parentheses");
                });
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        int depth = QueryParser.MAXIMUM_NESTING;
        String query = "(".repeat(depth) + "attributes.floor = 5" + ")".repeat(depth);

        assertThat(GroupQuery.parse(query).matches(FLEET)).isTrue();
    }

    @Test
    void keepsTheSource() {
        assertThat(GroupQuery.parse("authenticationName = 'fleet-7'").source())
                .isEqualTo("authenticationName = 'fleet-7'");
    }
}
