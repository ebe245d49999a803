package io.portcullis.admin.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Request bodies: a member given twice is refused with its path, other malformed JSON as before. */
class RequestJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"state\": \"Enabled\", \"state\": null}                                   | state",
            "{\"properties\": {\"state\": \"Disabled\", \"state\": \"Enabled\"}}         | properties.state",
            "{\"properties\": {\"attributes\": {\"line\": 1, \"line\": 2}}}            | properties.attributes.line",
            "{\"list\": [{\"a\": 1}, {\"b\": 1, \"b\": 2}]}                              | list[1].b"
    })
    void refusesAMemberGivenTwiceNamingIt(String body, String target) {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> RequestJson.read(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).contains(target);
        assertThat(refused.details()).extracting(ApiException.Detail::target).containsExactly(target);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1,                | not valid JSON",
            "'   '                     | no JSON value"
    })
    void refusesTextThatIsNotOneJsonValue(String body, String message) {
        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> RequestJson.read(body.getBytes(StandardCharsets.UTF_8)));

        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).contains(message);
    }
}
