package io.portcullis.admin.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Request bodies: a member given twice is refused with its path, text after the value, strings and member names
 * that are not Unicode and bytes that are not UTF-8 are refused in our words, other malformed JSON as before.
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void refusesABodyInAnotherUnicodeEncoding(String encoding) {
        byte[] body = "{\"properties\":{\"topicTemplates\":[\"a/#\"]}}".getBytes(Charset.forName(encoding));

        assertThatThrownBy(() -> RequestJson.read(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("MalformedJson");
            assertThat(e.details()).singleElement().satisfies(detail -> {
                assertThat(detail.target()).isEqualTo("body");
                assertThat(detail.message()).contains("NUL", "send the body as UTF-8");
            });
        });
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"properties\":{\"attributes\":{\"\\ud800\":\"x\"}}}          | properties.attributes",
            "{\"properties\":{\"attributes\":{\"k\\ud800\": \"v\"}}}        | properties.attributes",
            "{\"properties\":{\"attributes\":{\"a\":1,\"k\\udc00\":1}}}    | properties.attributes",
            "{\"a\":1,\"\\ud800\\u0041\":\"x\"}                            | body",
            "[{\"a\":1},{\"\\ud800\":1}]                                     | [1]"
    })
    void refusesALoneSurrogateInAMemberNameInOurWordsNamingTheObject(String body, String target) {
        ApiException refused = refusal(body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).startsWith("The request body is not valid Unicode: a member name at "
                + target).doesNotContainIgnoringCase("field name").doesNotContain("0x");
        assertThat(refused.details()).extracting(ApiException.Detail::target).containsExactly(target);
    }

    static Stream<Arguments> notUtf8() {
        return Stream.of(
                // ED A0 80 is U+D800 written as if it were a character; UTF-8 forbids it.
                Arguments.of(new byte[]{'"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, 2, "0xED"),
                Arguments.of(new byte[]{'"', (byte) 0xFF, '"'}, 1, "0xFF"),
                Arguments.of(new byte[]{'{', '"', 'a', '"', ':', (byte) 0xFF, '}'}, 5, "0xFF"),
                Arguments.of(new byte[]{'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'}, 2, "0xC0"),
                Arguments.of(new byte[]{'"', (byte) 0xC3, '"'}, 1, "0xC3"));
    }

    @ParameterizedTest
    @MethodSource("notUtf8")
    void refusesBytesThatAreNotUtf8InOurWordsOnTheBody(byte[] body, int offset, String badByte) {
        ApiException refused = catchThrowableOfType(ApiException.class, () -> RequestJson.read(body));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("MalformedJson");
        assertThat(refused.getMessage()).isEqualTo("The request body is not valid UTF-8");
        assertThat(refused.details()).singleElement().satisfies(detail -> {
            assertThat(detail.target()).isEqualTo("body");
            assertThat(detail.message()).contains("offset " + offset + " (" + badByte + ")");
        });
    }

    @Test
    void takesUtf8BeyondAsciiAndAByteOrderMark() {
        byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '"', (byte) 0xC3, (byte) 0xA9, (byte) 0xF0,
                (byte) 0x9F, (byte) 0x9A, (byte) 0x80, '"'};

        assertThat(RequestJson.read(body).textValue()).isEqualTo("\u00e9\uD83D\uDE80");
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
