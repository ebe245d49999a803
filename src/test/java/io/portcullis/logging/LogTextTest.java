package io.portcullis.logging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("pump-3", "pump-3"),
                Arguments.of("", ""),
                Arguments.of("fleet/7/temp é ü 温度", "fleet/7/temp é ü 温度"),
                Arguments.of("a\nb", "a\\nb"),
                Arguments.of("a\r\nb", "a\\r\\nb"),
                Arguments.of("tab\there", "tab\\there"),
                Arguments.of("nul\0", "nul\\x00"),
                Arguments.of("\u001B[31mred", "\\x1B[31mred"),
                Arguments.of("del\u007F", "del\\x7F"),
                Arguments.of("next-line\u0085c1\u009B", "next-line\\x85c1\\x9B"),
                Arguments.of("line\u2028para\u2029", "line\\u2028para\\u2029"),
                Arguments.of("bidi\u202Eevil\u2066x\u200F", "bidi\\u202Eevil\\u2066x\\u200F"),
                Arguments.of("zero\u200Bwidth\uFEFFsoft\u00ADhyphen", "zero\\u200Bwidth\\uFEFFsoft\\xADhyphen"),
                Arguments.of("back\\slash", "back\\\\slash"),
                Arguments.of("say \"hi\"", "say \\\"hi\\\""),
                Arguments.of("\\n is not a newline", "\\\\n is not a newline"),
                Arguments.of("x\n2026-01-01 portcullis.audit - Admin change: FORGED",
                        "x\\n2026-01-01 portcullis.audit - Admin change: FORGED"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void escapesWhatCouldForgeOrHideALine(String value, String expected) {
        assertThat(LogText.safe(value)).isEqualTo(expected);
    }

    static Stream<Arguments> bareValues() {
        return Stream.of(
                Arguments.of("pump-3", "pump-3"),
                Arguments.of("", ""),
                Arguments.of("fleet/7/+/#", "fleet/7/+/#"),
                Arguments.of("a=b", "a=b"),
                Arguments.of("x authName=admin", "x\\x20authName=admin"),
                Arguments.of(" lead and trail ", "\\x20lead\\x20and\\x20trail\\x20"),
                Arguments.of("nbsp\u00A0ideographic\u3000", "nbsp\\xA0ideographic\\u3000"),
                Arguments.of("温度 é", "温度\\x20é"),
                Arguments.of("a\nb c", "a\\nb\\x20c"),
                Arguments.of("tab\tauthName=admin", "tab\\tauthName=admin"),
                Arguments.of("q\" x=\"1", "q\\\"\\x20x=\\\"1"),
                Arguments.of("back\\x20", "back\\\\x20"));
    }

    @ParameterizedTest
    @MethodSource("bareValues")
    void tokenAlsoEscapesSpacesSoABareFieldCannotAddAField(String value, String expected) {
        assertThat(LogText.token(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("values")
    void tokenEscapesEverythingSafeDoesAndSpaces(String value, String ignored) {
        assertThat(LogText.token(value)).isEqualTo(LogText.safe(value).replace(" ", "\\x20"));
    }

    @Test
    void tokenKeepsNullAndUsesToStringOfOtherObjects() {
        assertThat(LogText.token(null)).isNull();
        assertThat(LogText.token(new StringBuilder("a b"))).isEqualTo("a\\x20b");
    }

    @Test
    void keepsNullAndUsesToStringOfOtherObjects() {
        assertThat(LogText.safe(null)).isNull();
        assertThat(LogText.safe(new StringBuilder("a\nb"))).isEqualTo("a\\nb");
    }

    @Test
    void fieldsEscapeAQuotedPlaceholderWithSafeAndABareOneAsAToken() {
        Object[] fields = LogText.fields("Changed: clientId={} change=\"{}\" authName={} note=\"was: {}\" n={}",
                "x authName=admin", "a \"b\"", "fleet 7", "c d\ne", 7);

        assertThat(fields).containsExactly("x\\x20authName=admin", "a \\\"b\\\"", "fleet\\x207", "c d\\ne", "7");
    }

    @Test
    void fieldsTreatAnEscapedQuoteOrPlaceholderAsText() {
        Object[] fields = LogText.fields("a=\\\"{} b=\\{} c=\"{}\"", "x y", "p q");

        assertThat(fields).containsExactly("x\\x20y", "p q");
    }

    @Test
    void fieldsJoinABareCollectionAsTokensAndPassAThrowableOn() {
        IllegalStateException failure = new IllegalStateException("x\ny");

        Object[] fields = LogText.fields("removed={} who={}", List.of("a/+", "b c"), null, failure);

        assertThat(fields).containsExactly("[a/+,b\\x20c]", null, failure);
    }
}
