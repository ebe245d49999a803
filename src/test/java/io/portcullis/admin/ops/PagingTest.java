package io.portcullis.admin.ops;

import io.portcullis.admin.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static io.portcullis.admin.ops.OpsRequests.queryOf;
import static io.portcullis.admin.ops.OpsRequests.refused;
import static io.portcullis.admin.ops.OpsRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/** Paging by key: page sizes, following nextLinks to the end, bad parameters, and tokens of sessions and topics. */
class PagingTest {
    private static final String PATH = "/api/v1/things";
    private static final Predicate<String> ANY = key -> true;

    @ParameterizedTest(name = "{0} items, top {1}: {2} pages")
    @CsvSource({
            "0, 100, 1",
            "1, 1, 1",
            "5, 2, 3",
            "6, 2, 3",
            "100, 100, 1",
            "101, 100, 2",
            "1001, 1000, 2",
            "250, , 3",
    })
    void followingNextLinksVisitsEveryItemOnceInOrder(int count, Integer top, int expectedPages) {
        List<String> items = IntStream.range(0, count).mapToObj(i -> String.format("item-%05d", i)).toList();

        List<String> seen = new ArrayList<>();
        int pages = 0;
        String[] query = top == null ? new String[0] : new String[]{"top", top.toString()};
        while (query != null) {
            Paging<String> page = Paging.of(items, Function.identity(), request("GET", List.of("things"), null, query),
                    PATH, Map.of(), ANY);
            seen.addAll(page.items());
            pages++;
            if (page.nextLink() != null) {
                assertThat(page.nextLink()).startsWith(PATH + "?top=" + (top == null ? 100 : top) + "&skipToken=");
                assertThat(page.items()).hasSize(top == null ? 100 : top);
            }
            query = page.nextLink() == null ? null : queryOf(page.nextLink());
        }

        assertThat(seen).isEqualTo(items);
        assertThat(pages).isEqualTo(expectedPages);
    }

    @Test
    void nextLinkCarriesTheFiltersPercentEncoded() {
        List<String> items = List.of("a", "b", "c");
        Map<String, String> carried = new LinkedHashMap<>();
        carried.put("topicFilter", "plant/+/a b&c");

        Paging<String> page = Paging.of(items, Function.identity(),
                request("GET", List.of("things"), null, "top", "1"), PATH, carried, ANY);

        assertThat(page.nextLink()).startsWith(PATH + "?topicFilter=plant%2F%2B%2Fa%20b%26c&top=1&skipToken=");
        assertThat(Arrays.asList(queryOf(page.nextLink())).subList(0, 2))
                .containsExactly("topicFilter", "plant/+/a b&c");
    }

    @Test
    void anItemRemovedBetweenPagesNeitherRepeatsNorHidesAnother() {
        List<String> items = new ArrayList<>(List.of("a", "b", "c", "d"));
        Paging<String> first = Paging.of(items, Function.identity(),
                request("GET", List.of("things"), null, "top", "2"), PATH, Map.of(), ANY);
        items.remove("b");

        Paging<String> second = Paging.of(items, Function.identity(),
                request("GET", List.of("things"), null, queryOf(first.nextLink())), PATH, Map.of(), ANY);

        assertThat(first.items()).containsExactly("a", "b");
        assertThat(second.items()).containsExactly("c", "d");
        assertThat(second.nextLink()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"top, 0", "top, 1001", "top, -5", "top, x", "top, ''", "skipToken, '***'"})
    void refusesBadParameters(String name, String value) {
        ApiException refusal = refused((r) -> {
            Paging.of(List.of("a"), Function.identity(), r, PATH, Map.of(), ANY);
            return null;
        }, request("GET", List.of("things"), null, name, value), 400, "InvalidParameter");

        assertThat(refusal.details()).extracting(ApiException.Detail::target).containsExactly(name);
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({
            "sessions, ''",                   // no bytes: the empty ClientId, always replaced by an assigned one
            "sessions, AA",                   // U+0000
            "retainedMessages, ''",
            "retainedMessages, AA",
            "retainedMessages, cGxhbnQvKw",   // plant/+, a filter, never a topic
    })
    void refusesATokenOfAKeyTheCollectionCannotHold(String collection, String token) {
        Predicate<String> isKey = collection.equals("sessions") ? SessionsHandler::isClientId
                : RetainedMessagesHandler::isTopic;

        ApiException refusal = refused((r) -> {
            Paging.of(List.of("a"), Function.identity(), r, PATH, Map.of(), isKey);
            return null;
        }, request("GET", List.of("things"), null, "skipToken", token), 400, "InvalidParameter");

        assertThat(refusal.details()).extracting(ApiException.Detail::target).containsExactly("skipToken");
    }

    @Test
    void continuesAfterTheClientIdOrTopicATokenNames() {
        List<String> topics = List.of("plant/1", "plant/2", "plant/3 \u00e9");
        Paging<String> first = Paging.of(topics, Function.identity(),
                request("GET", List.of("things"), null, "top", "2"), PATH, Map.of(), RetainedMessagesHandler::isTopic);
        Paging<String> second = Paging.of(topics, Function.identity(),
                request("GET", List.of("things"), null, queryOf(first.nextLink())), PATH, Map.of(),
                RetainedMessagesHandler::isTopic);

        assertThat(second.items()).containsExactly("plant/3 \u00e9");
        assertThat(SessionsHandler.isClientId("plant/2")).as("any MQTT string is a client id").isTrue();
        assertThat(SessionsHandler.isClientId("")).isFalse();
        assertThat(SessionsHandler.isClientId("a\u0000b")).isFalse();
    }
}
