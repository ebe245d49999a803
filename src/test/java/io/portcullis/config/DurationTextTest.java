package io.portcullis.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "10s, 10000", "5m, 300000", "8h, 28800000", "2d, 172800000", "0s, 0"})
    void parsesNumberAndUnit(String text, long millis) {
        assertThat(DurationText.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "s", "10 s", "1.5s", "-1s", "10sec", "10S", ""})
    void refusesOtherSpellings(String text) {
        assertThat(DurationText.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1500, 1500ms", "10000, 10s", "90000, 90s", "300000, 5m", "28800000, 8h", "86400000, 1d", "0, 0s"})
    void formatsWithTheLargestExactUnit(long millis, String text) {
        assertThat(DurationText.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(DurationText.parse(text)).contains(Duration.ofMillis(millis));
    }
}
