package io.portcullis.admin.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageSizeTest {

    @ParameterizedTest(name = "top={0} -> {1}")
    @CsvSource({"1, 1", "9, 9", "100, 100", "999, 999", "1000, 1000"})
    void takesWholeNumbersFromOneToTheMaximum(String top, int size) {
        assertThat(PageSize.of(request(Map.of("top", List.of(top))))).isEqualTo(size);
    }

    @Test
    void isTheDefaultWhenAbsent() {
        assertThat(PageSize.of(request(Map.of()))).isEqualTo(PageSize.DEFAULT);
    }

    @ParameterizedTest(name = "top=\"{0}\"")
    @ValueSource(strings = {"0", "1001", "99999", "-1", "+1", "0001", "01", "1.5", "1e3", " 5", "5 ", "", "ten",
            "\u0661", "\uFF11", "2147483648"})
    void refusesAnythingElseNamingTop(String top) {
        assertThatThrownBy(() -> PageSize.of(request(Map.of("top", List.of(top)))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("top");
                });
    }

    @Test
    void aParameterGivenTwiceIsRefusedNotChosenFrom() {
        ApiRequest twice = request(Map.of("top", List.of("1", "5000")));

        assertThatThrownBy(() -> twice.parameter("top")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).contains("top"));
        assertThatThrownBy(() -> PageSize.of(twice)).isInstanceOf(ApiException.class);
    }

    private static ApiRequest request(Map<String, List<String>> query) {
        return new ApiRequest("GET", List.of("clients"), query, Map.of(), null,
                new AdminCaller("CN=ops", "AB".repeat(32)));
    }
}
