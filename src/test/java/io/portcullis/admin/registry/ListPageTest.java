package io.portcullis.admin.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.composition.ResourceKind;
import io.portcullis.admin.http.AdminCaller;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.SkipToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Filtering and paging of registry lists, the nextLink that continues them, and the tokens it takes. */
class ListPageTest {
    private static final NavigableMap<String, String> NAMES = new TreeMap<>();

    static {
        for (String name : List.of("Pump-1", "pump-2", "pump-3", "valve-1", "valve-2")) {
            NAMES.put(name, name);
        }
    }

    private static ApiRequest request(Map<String, List<String>> query) {
        return new ApiRequest("GET", List.of("clients"), query, Map.of(), new byte[0],
                new AdminCaller("CN=ops", "AB".repeat(32)));
    }

    private static ObjectNode render(ListPage page) {
        return page.render(NAMES, name -> JsonNodeFactory.instance.objectNode().put("name", name));
    }

    @ParameterizedTest(name = "filter={0} top={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "     | 100 | Pump-1,pump-2,pump-3,valve-1,valve-2 | false",
            "pump | 100 | Pump-1,pump-2,pump-3                 | false",
            "PUMP | 2   | Pump-1,pump-2                        | true",
            "-1   | 1   | Pump-1                               | true",
            "     | 5   | Pump-1,pump-2,pump-3,valve-1,valve-2 | false",
            "     | 4   | Pump-1,pump-2,pump-3,valve-1         | true",
            "none | 10  | ''                                   | false"
    })
    void filtersIgnoringCaseAndBoundsThePage(String filter, int top, String names, boolean hasNext) {
        ObjectNode page = render(new ListPage("clients", filter, top, null));

        List<String> expected = names.isEmpty() ? List.of() : Arrays.asList(names.split(","));
        assertThat(page.path("value").findValuesAsText("name")).isEqualTo(expected);
        assertThat(page.has("nextLink")).isEqualTo(hasNext);
    }

    @Test
    void nextLinkContinuesAfterTheLastNameAndKeepsTheFilter() {
        ObjectNode first = render(ListPage.of(request(Map.of("filter", List.of("p u"), "top", List.of("1"))),
                ResourceKind.CLIENTS));
        assertThat(first.path("nextLink").isMissingNode()).isTrue();

        ObjectNode page = render(ListPage.of(request(Map.of("top", List.of("2"))), ResourceKind.CLIENTS));
        String nextLink = page.path("nextLink").asText();
        assertThat(nextLink).startsWith("/api/v1/clients?top=2&skipToken=");
        String token = nextLink.substring(nextLink.indexOf("skipToken=") + "skipToken=".length());

        ObjectNode second = render(ListPage.of(request(Map.of("top", List.of("2"), "skipToken", List.of(token))),
                ResourceKind.CLIENTS));
        assertThat(second.path("value").findValuesAsText("name")).containsExactly("pump-3", "valve-1");

        ObjectNode filtered = render(ListPage.of(request(Map.of("filter", List.of("a b"), "top", List.of("1"))),
                ResourceKind.CLIENTS));
        assertThat(filtered.path("value")).isEmpty();
        ListPage withSpace = new ListPage("clients", "a b", 1, null);
        assertThat(withSpace.render(new TreeMap<>(Map.of("a b1", "a b1", "a b2", "a b2")),
                name -> JsonNodeFactory.instance.objectNode().put("name", name)).path("nextLink").asText())
                .startsWith("/api/v1/clients?filter=a+b&top=1&skipToken=");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"top, 0", "top, 1001", "top, -3", "top, ten", "skipToken, not*base64",
            "skipToken, garbage", "skipToken, AAAA", "skipToken, %2F%2F", "skipToken, ''"})
    void refusesParametersOutOfRange(String parameter, String value) {
        assertThatThrownBy(() -> ListPage.of(request(Map.of(parameter, List.of(value))), ResourceKind.CLIENTS))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidParameter");
                    assertThat(e.details()).extracting(ApiException.Detail::target).containsExactly(parameter);
                });
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({
            "CLIENTS, pump:7.a_b, true",       // client names may carry : . _
            "CLIENT_GROUPS, pump:7.a_b, false",
            "CLIENT_GROUPS, ab, false",        // other resource names are 3 to 50 characters
            "CLIENTS, ab, true",
            "TOPIC_SPACES, plant-7, true"
    })
    void takesATokenOnlyForANameOfItsCollection(ResourceKind kind, String name, boolean isTaken) {
        ApiRequest request = request(Map.of("skipToken", List.of(SkipToken.encode(name))));

        if (isTaken) {
            assertThat(ListPage.of(request, kind).after()).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> ListPage.of(request, kind)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.details()).extracting(ApiException.Detail::target).containsExactly("skipToken"));
        }
    }
}
