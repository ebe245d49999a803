package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which {@code --attribute KEY=VALUE} values become JSON integers: only a whole number spelled as JSON
 * spells it back, so that no spelling is lost on the way to the registry.
 */
class ClientAttributesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "42", "-12", "9223372036854775807", "-9223372036854775808"})
    void aCanonicalWholeNumberBecomesAnInteger(String value) throws Exception {
        JsonNode attribute = attribute(value);

        assertThat(attribute.isIntegralNumber()).as(attribute.toString()).isTrue();
        assertThat(attribute.asText()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"007", "00", "-0", "-007", "+5", "+0", "1.5", "1e3", " 7", "7 ", "0x1F", "", "-",
            "٣"})
    void anyOtherSpellingStaysTheStringAsWritten(String value) throws Exception {
        JsonNode attribute = attribute(value);

        assertThat(attribute.isTextual()).as(attribute.toString()).isTrue();
        assertThat(attribute.asText()).isEqualTo(value);
    }

    private static JsonNode attribute(String value) throws AdminCommandException {
        return ClientAttributes.build(List.of("n=" + value), List.of(), List.of(), List.of()).get("n");
    }
}
