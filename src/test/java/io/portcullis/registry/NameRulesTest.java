package io.portcullis.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NameRulesTest {

    @ParameterizedTest
    @CsvSource({"a, true", "client-1:a.b_c, true", "'', false", "'bad name', false", "naïve, false",
            "slash/name, false"})
    void checksClientNames(String name, boolean isValid) {
        assertThat(NameRules.clientNameProblem(name).isEmpty()).isEqualTo(isValid);
    }

    @Test
    void limitsClientNamesTo128Characters() {
        assertThat(NameRules.clientNameProblem("a".repeat(128))).isEmpty();
        assertThat(NameRules.clientNameProblem("a".repeat(129))).isPresent();
    }

    @Test
    void countsAuthenticationNamesInCharacters() {
        assertThat(NameRules.authenticationNameProblem("\uD83D\uDE00".repeat(128))).isEmpty();
        assertThat(NameRules.authenticationNameProblem("\uD83D\uDE00".repeat(129))).isPresent();
        assertThat(NameRules.authenticationNameProblem("")).isPresent();
        assertThat(NameRules.authenticationNameProblem("a\u0000b")).isPresent();
        assertThat(NameRules.authenticationNameProblem("CN=pump 3, O=Acme")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"abc, true", "dev-ca-2, true", "ab, false", "under_score, false", "dot.name, false",
            "'$all', false"})
    void checksResourceNames(String name, boolean isValid) {
        assertThat(NameRules.resourceNameProblem(name).isEmpty()).isEqualTo(isValid);
    }

    @Test
    void limitsResourceNamesTo50Characters() {
        assertThat(NameRules.resourceNameProblem("a".repeat(50))).isEmpty();
        assertThat(NameRules.resourceNameProblem("a".repeat(51))).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"floor, true", "site_2, true", "bad-key, false", "'', false"})
    void checksAttributeKeys(String key, boolean isValid) {
        assertThat(NameRules.attributeKeyProblem(key).isEmpty()).isEqualTo(isValid);
    }

    @Test
    void checksThumbprints() {
        assertThat(NameRules.thumbprintProblem("aB".repeat(32))).isEmpty();
        assertThat(NameRules.thumbprintProblem("AB".repeat(31))).isPresent();
        assertThat(NameRules.thumbprintProblem("AB:".repeat(31) + "AB")).isPresent();
    }

    @Test
    void measuresAttributesInUtf8BytesAndEightPerInteger() {
        Map<String, AttributeValue> attributes = Map.of(
                "type", new AttributeValue.Text("é"),
                "floor", new AttributeValue.Integer(3),
                "roles", new AttributeValue.TextArray(List.of("a", "bc")));

        assertThat(NameRules.attributesSize(attributes)).isEqualTo(4 + 2 + 5 + 8 + 5 + 3);
    }
}
