package io.portcullis.cli.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link Text#printable} escapes before broker text reaches a terminal, and what it leaves alone. */
class TextTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("pump-7", "pump-7"),
                Arguments.of("温度 é \"q\" back\\slash", "温度 é \"q\" back\\slash"),
                Arguments.of("a\nb\tc", "a\\u000Ab\\u0009c"),
                Arguments.of("\u001B[2J", "\\u001B[2J"),
                Arguments.of("next\u0085line", "next\\u0085line"),
                Arguments.of("evil\u202Egnp.exe", "evil\\u202Egnp.exe"),
                Arguments.of("\u202A\u202B\u202C\u202D", "\\u202A\\u202B\\u202C\\u202D"),
                Arguments.of("\u2066x\u2067y\u2068z\u2069", "\\u2066x\\u2067y\\u2068z\\u2069"),
                Arguments.of("l\u200Er\u200F", "l\\u200Er\\u200F"),
                Arguments.of("zero\u200Bwidth\uFEFF", "zero\\u200Bwidth\\uFEFF"),
                Arguments.of("line\u2028para\u2029", "line\\u2028para\\u2029"),
                Arguments.of("tag\uDB40\uDC41", "tag\\uDB40\\uDC41"),
                Arguments.of("emoji \uD83D\uDE00", "emoji \uD83D\uDE00"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void escapesControlSeparatorAndFormatCharactersOnly(String text, String printed) {
        assertThat(Text.printable(text)).isEqualTo(printed);
    }
}
