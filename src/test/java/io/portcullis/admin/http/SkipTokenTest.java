package io.portcullis.admin.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Skip tokens: every key comes back from its own token; anything the API could not have written is refused. */
class SkipTokenTest {
    /** A stand-in for a collection's name rule: lower-case letters, digits and '-', at least one. */
    private static boolean isName(String name) {
        return name.matches("[a-z0-9-]+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pump-7", "a", "abc", "x-1-2-3-4", "zz"})
    void decodesTheKeyItsEncodingNames(String key) {
        assertThat(SkipToken.decode(SkipToken.encode(key), SkipTokenTest::isName)).isEqualTo(key);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', value = {
            "garbage      | decodes to bytes that are not UTF-8",
            "AAAA         | decodes to U+0000 three times, no name",
            "//           | not Base64url",
            "cHVtcC03=    | pump-7 padded: not as the API writes it",
            "cHVtcC03==   | padded twice",
            "cHVtcC1      | pump- with stray low bits set: the API writes cHVtcC0",
            "UFVNUA       | PUMP: valid UTF-8, breaks the name rule",
            "7aCA         | U+D800 written as UTF-8 (ED A0 80), which UTF-8 forbids",
            "''           | empty: no name",
            "cHVtcC03 x   | a space inside"
    })
    void refusesATokenTheApiCouldNotHaveIssued(String token, String why) {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> SkipToken.decode(token, SkipTokenTest::isName));

        assertThat(refused).as(why).isNotNull();
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("InvalidParameter");
        assertThat(refused.details()).extracting(ApiException.Detail::target).containsExactly("skipToken");
    }
}
