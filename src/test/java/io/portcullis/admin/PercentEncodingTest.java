package io.portcullis.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentEncodingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "pump-7, pump-7",
            "a%2Fb, a/b",
            "%C3%A9x, \u00e9x",
            "a+b, a+b",
            "%25, %"})
    void decodesAPathSegment(String raw, String decoded) {
        assertThat(PercentEncoding.decode(raw, false)).isEqualTo(decoded);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "'\u00c3\u00a9x', " + PercentEncoding.NOT_ASCII,
            "'a\u0000b', " + PercentEncoding.NOT_ASCII,
            "'a\tb', " + PercentEncoding.NOT_ASCII,
            "'a\u007fb', " + PercentEncoding.NOT_ASCII,
            "%ZZ, " + PercentEncoding.NOT_HEX,
            "%F, " + PercentEncoding.NOT_HEX,
            "%FF, " + PercentEncoding.NOT_UTF8,
            "%ED%A0%80, " + PercentEncoding.NOT_UTF8})
    void refusesWhatIsNotPercentEncodedUtf8(String raw, String rule) {
        assertThatThrownBy(() -> PercentEncoding.decode(raw, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(rule);
    }
}
