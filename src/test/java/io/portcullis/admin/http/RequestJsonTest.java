package io.portcullis.admin.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Request bodies: a member given twice is refused with its path, text after the value and strings that are not
 * Unicode are refused, other malformed JSON as before.
 */
class RequestJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"state\": \"Enabled\", \"state\": null}                                   | state",
            "{\"properties\": {\"state\": \"Disabled\", \"state\": \"Enabled\"}}         | properties.state",
            "{\"properties\": {\"attributes\": {\"line\": 1, \"line\": 2}}}            | properties.attributes.line",
            "{\"list\": [{\"a\": 1}, {\"b\": 1, \"b\": 2}]}                              | list[1].b"
    })
    void refusesAMemberGivenTwiceNamingIt(String body, String target) {
        ApiException refused = refusal(body);

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
        ApiException refused = refusal(body);

        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).contains(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"properties\":{}} garbage",
            "{\"properties\":{\"description\":\"tg\"}}]]]}}not json",
            "{\"properties\":{}}{\"properties\":{}}",
            "{\"properties\":{}} 1",
            "{\"a\": 1}}",
            "\"text\" \"more\""
    })
    void refusesTextAfterTheValue(String body) {
        ApiException refused = refusal(body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).contains("more text after its JSON value");
        assertThat(refused.details()).extracting(ApiException.Detail::target).containsExactly("body");
    }

    @Test
    void takesWhiteSpaceAfterTheValue() {
        assertThat(RequestJson.read(" {\"a\": 1} \r\n\t ".getBytes(StandardCharsets.UTF_8)).path("a").asInt())
                .isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"properties\":{\"description\":\"a\\ud800b\"}}              | properties.description",
            "{\"properties\":{\"description\":\"a\\udc00\"}}               | properties.description",
            "{\"properties\":{\"description\":\"\\udc00\\ud800\"}}         | properties.description",
            "{\"properties\":{\"topicTemplates\":[\"x\", \"\\ud83d\"]}}    | properties.topicTemplates[1]",
            "\"\\ud800\"                                                   | body"
    })
    void refusesALoneSurrogateNamingWhereItIs(String body, String target) {
        ApiException refused = refusal(body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).contains("not valid Unicode");
        assertThat(refused.details()).extracting(ApiException.Detail::target).containsExactly(target);
    }

    @Test
    void refusesALoneSurrogateInAMemberName() {
        // Jackson itself refuses a broken pair in a name, in its own words; either way it is MalformedJson.
        ApiException refused = refusal("{\"properties\":{\"attributes\":{\"k\\ud800\": \"v\"}}}");

        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).containsIgnoringCase("surrogate");
    }

    @Test
    void refusesASurrogateEncodedDirectlyAsUtf8() {
        // ED A0 80 is U+D800 written as if it were a character; UTF-8 forbids it.
        byte[] body = {'"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};

        ApiException refused = catchThrowableOfType(ApiException.class, () -> RequestJson.read(body));

        assertThat(refused.code()).isEqualTo("MalformedJson");
    }

    @Test
    void takesAPairedSurrogateEscape() {
        String body = "{\"description\": \"pump \\ud83d\\ude80\"}";

        assertThat(RequestJson.read(body.getBytes(StandardCharsets.UTF_8)).path("description").asText())
                .isEqualTo("pump \uD83D\uDE80");
    }

    private static ApiException refusal(String body) {
        return catchThrowableOfType(ApiException.class, () -> RequestJson.read(body.getBytes(StandardCharsets.UTF_8)));
    }
}
