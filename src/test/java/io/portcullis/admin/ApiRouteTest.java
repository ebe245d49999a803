package io.portcullis.admin;

import io.portcullis.admin.http.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request targets to handler keys and decoded path segments. */
class ApiRouteTest {

    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("/api/v1/clients", "clients", List.of("clients")),
                Arguments.of("/api/v1/clients/pump-7", "clients", List.of("clients", "pump-7")),
                Arguments.of("/api/v1/retainedMessages/plant%2F7%2Ftemp", "retainedMessages",
                        List.of("retainedMessages", "plant/7/temp")),
                Arguments.of("/api/v1/retainedMessages/a%2fb", "retainedMessages", List.of("retainedMessages", "a/b")),
                Arguments.of("/api/v1/retainedMessages/a+b%20c", "retainedMessages",
                        List.of("retainedMessages", "a+b c")),
                Arguments.of("/api/v1/retainedMessages/%C3%A9t%C3%A9%2F%23", "retainedMessages",
                        List.of("retainedMessages", "été/#")),
                Arguments.of("/api/v1/sessions/a%3Fb?discard=true", "sessions", List.of("sessions", "a?b")),
                Arguments.of("/openapi.json", "/openapi.json", List.of()),
                Arguments.of("/metrics?x=1", "/metrics", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void routesToTheHandlerWithDecodedSegments(String target, String handlerKey, List<String> path) {
        ApiRoute route = ApiRoute.of(target);

        assertThat(route.handlerKey()).isEqualTo(handlerKey);
        assertThat(route.path()).isEqualTo(path);
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("/api/v1/clients?filter=pump&top=2", Map.of("filter", List.of("pump"),
                        "top", List.of("2"))),
                Arguments.of("/api/v1/clients?filter=a+b%26c", Map.of("filter", List.of("a b&c"))),
                Arguments.of("/api/v1/retainedMessages?topicFilter=plant%2F%23", Map.of("topicFilter",
                        List.of("plant/#"))),
                Arguments.of("/api/v1/clients?a;b=1&a=2&c", Map.of("a", List.of("", "2"), "b", List.of("1"),
                        "c", List.of(""))),
                Arguments.of("/api/v1/clients?%41=%C3%A9&=x&&top=1#frag", Map.of("A", List.of("é"),
                        "top", List.of("1"))),
                Arguments.of("/api/v1/clients?filter=%EF%BF%BD", Map.of("filter", List.of("\uFFFD"))),
                Arguments.of("/api/v1/clients", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void decodesQueryParameters(String target, Map<String, List<String>> query) {
        assertThat(ApiRoute.of(target).query()).isEqualTo(query);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/clients?filter=%ED%A0%80   | filter | the percent-encoded bytes are not UTF-8",
            "/api/v1/clients?top=1&filter=%FF   | filter | the percent-encoded bytes are not UTF-8",
            "/api/v1/clients?skipToken=a%ZZ     | skipToken | a '%' must be followed by two hex digits",
            "/api/v1/clients?filter=%\u0663\u0663 | filter | " + PercentEncoding.NOT_ASCII
    })
    void refusesAParameterValueThatIsNotPercentEncodedUtf8NamingIt(String target, String parameter, String rule) {
        assertThatThrownBy(() -> ApiRoute.of(target)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("InvalidParameter");
            assertThat(e.getMessage()).isEqualTo("Invalid query parameter " + parameter);
            assertThat(e.details()).containsExactly(new ApiException.Detail(parameter, rule));
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/api/v1/clients/%C0%AF?x=%ZZ, clients, clients",
            "/api/v1/%ZZ/x, /api/v1/%ZZ/x, ''",
            "/elsewhere?x=1, /elsewhere, ''",
            "/metrics?x=%ZZ, /metrics, ''"
    })
    void tellsTheHandlerOfATargetItRefuses(String target, String handlerKey, String path) {
        ApiRoute route = ApiRoute.handlerOnly(target);

        assertThat(route.handlerKey()).isEqualTo(handlerKey);
        assertThat(route.path()).isEqualTo(path.isEmpty() ? List.of() : List.of(path));
        assertThat(route.query()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, 404",
            "/api/v1, 404",
            "/api/v1/, 404",
            "/api/v2/clients, 404",
            "/api/v1/clients/, 404",
            "/api/v1//pump, 404",
            "/openapi.json/x, 404",
            "/api/v1/clients/%zz, 400",
            "/api/v1/clients/%4, 400",
            "/api/v1/clients/%C3, 400",
            "/api/v1/clients/%FF%FE, 400",
            "/api/v1/clients?filter=%zz, 400",
            "/api/v1/clients?filter=%, 400",
            "/api/v1/clients?filter=%ED%A0%80, 400",
            "/api/v1/clients?filter=%FF, 400",
            "/api/v1/clients?%FF=x, 400",
            "/api/v1/clients/%C0%AF, 400"
    })
    void refusesTargetsOutsideTheApi(String target, int status) {
        assertThatThrownBy(() -> ApiRoute.of(target)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(status));
    }
}
