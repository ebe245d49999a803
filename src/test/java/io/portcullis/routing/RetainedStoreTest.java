package io.portcullis.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.portcullis.routing.TestMessages.expiring;
import static io.portcullis.routing.TestMessages.withPayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetainedStoreTest {
    private static final List<String> TOPICS = List.of("a", "a/b", "a/b/c", "a/c", "a//c", "/a", "b", "$SYS/x",
            "$SYS", "a/$x", "sport/tennis/player1", "sport/tennis/player1/ranking", "sport");

    private final RetainedStore store = new RetainedStore(1_000, 1_024);

    private static List<String> topics(List<Message> messages) {
        return messages.stream().map(Message::topic).toList();
    }

    private static String payload(Message message) {
        return new String(message.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void storesReplacesAndDeletesByEmptyPayload() {
        assertThat(store.retain(withPayload("a/b", "first"))).isEqualTo(RetainResult.STORED);
        assertThat(store.retain(withPayload("a/b", "second"))).isEqualTo(RetainResult.STORED);

        assertThat(store.size()).isOne();
        assertThat(store.matching("a/b", 0)).singleElement().extracting(RetainedStoreTest::payload)
                .isEqualTo("second");

        assertThat(store.retain(withPayload("a/b", ""))).isEqualTo(RetainResult.DELETED);
        assertThat(store.matching("a/b", 0)).isEmpty();
        assertThat(store.size()).isZero();
        assertThat(store.nodeCount()).isZero();
    }

    @Test
    void deletingATopicWithoutRetainedMessageIsFine() {
        store.retain(withPayload("a/b/c", "kept"));

        assertThat(store.retain(withPayload("x/y", ""))).isEqualTo(RetainResult.DELETED);
        assertThat(store.retain(withPayload("a/b", ""))).isEqualTo(RetainResult.DELETED);

        assertThat(store.size()).isOne();
        assertThat(store.nodeCount()).isEqualTo(3);
    }

    @Test
    void deletingALeafPrunesOnlyEmptyLevels() {
        store.retain(withPayload("a/b/c/d", "deep"));
        store.retain(withPayload("a/b", "middle"));

        store.retain(withPayload("a/b/c/d", ""));

        assertThat(store.nodeCount()).isEqualTo(2);
        assertThat(topics(store.matching("#", 0))).containsExactly("a/b");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "#                  | a,a/b,a/b/c,a/c,a//c,/a,b,a/$x,sport/tennis/player1,"
                    + "sport/tennis/player1/ranking,sport",
            "a/#                | a,a/b,a/b/c,a/c,a//c,a/$x",
            "a/+                | a/b,a/c,a/$x",
            "a/+/c              | a/b/c,a//c",
            "+                  | a,b,sport",
            "+/+                | a/b,a/c,/a,a/$x",
            "/+                 | /a",
            "+/#                | a,a/b,a/b/c,a/c,a//c,/a,b,a/$x,sport/tennis/player1,"
                    + "sport/tennis/player1/ranking,sport",
            "$SYS/#             | $SYS/x,$SYS",
            "$SYS/+             | $SYS/x",
            "$SYS               | $SYS",
            "+/x                | ''",
            "a/b                | a/b",
            "a/b/c/d            | ''",
            "sport/tennis/+     | sport/tennis/player1",
            "sport/+            | ''",
            "sport/#            | sport,sport/tennis/player1,sport/tennis/player1/ranking",
    })
    void matchesFiltersWithWildcardsAndTheDollarRule(String filter, String expected) {
        TOPICS.forEach(topic -> store.retain(withPayload(topic, topic)));
        List<String> expectedTopics = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));

        List<Message> found = store.matching(filter, 0);

        assertThat(topics(found)).containsExactlyInAnyOrderElementsOf(expectedTopics);
        assertThat(found).allSatisfy(message -> assertThat(payload(message)).isEqualTo(message.topic()));
    }

    @Test
    void leavesOutAndRemovesExpiredMessages() {
        store.retain(expiring("a/short", 10, 1_000));
        store.retain(expiring("a/long", 100, 1_000));
        store.retain(withPayload("a/never", "x"));

        assertThat(topics(store.matching("a/#", 10_999))).containsExactlyInAnyOrder("a/short", "a/long", "a/never");
        assertThat(topics(store.matching("a/#", 11_000))).containsExactlyInAnyOrder("a/long", "a/never");
        assertThat(store.size()).isEqualTo(2);
        assertThat(topics(store.matching("a/short", 0))).isEmpty();
    }

    @Test
    void purgesExpiredMessages() {
        store.retain(expiring("x/1", 1, 0));
        store.retain(expiring("x/2/deep", 1, 0));
        store.retain(expiring("x/3", 5, 0));
        store.retain(withPayload("y", "x"));

        assertThat(store.purgeExpired(999)).isZero();
        assertThat(store.purgeExpired(1_000)).isEqualTo(2);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.nodeCount()).isEqualTo(3);
        assertThat(store.purgeExpired(60_000)).isOne();
    }

    @Test
    void refusesBeyondTheCountLimitButStillReplacesAndDeletes() {
        RetainedStore small = new RetainedStore(2, 1_024);
        small.retain(withPayload("a", "1"));
        small.retain(withPayload("b", "1"));

        RetainResult refused = small.retain(withPayload("c", "1"));

        assertThat(refused.outcome()).isEqualTo(RetainResult.Outcome.COUNT_LIMIT_REACHED);
        assertThat(refused.isRefused()).isTrue();
        assertThat(refused.reason()).contains("maximumRetainedMessages=2");
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.nodeCount()).isEqualTo(2);
        assertThat(small.retain(withPayload("a", "2"))).isEqualTo(RetainResult.STORED);
        assertThat(small.retain(withPayload("b", ""))).isEqualTo(RetainResult.DELETED);
        assertThat(small.retain(withPayload("c", "1"))).isEqualTo(RetainResult.STORED);
        assertThat(topics(small.matching("#", 0))).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void refusesPayloadsLargerThanTheSizeLimit() {
        RetainedStore small = new RetainedStore(10, 4);

        assertThat(small.retain(withPayload("a", "1234"))).isEqualTo(RetainResult.STORED);
        RetainResult refused = small.retain(withPayload("a", "12345"));

        assertThat(refused.outcome()).isEqualTo(RetainResult.Outcome.SIZE_LIMIT_EXCEEDED);
        assertThat(refused.reason()).contains("5 bytes").contains("maximumRetainedMessageSize=4");
        assertThat(payload(small.matching("a", 0).get(0))).isEqualTo("1234");
    }

    @Test
    void refusesInvalidFilters() {
        assertThatThrownBy(() -> store.matching("a/#/b", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheCountLimitExactUnderConcurrentStores() throws InterruptedException {
        RetainedStore limited = new RetainedStore(100, 1_024);
        ConcurrentLinkedQueue<RetainResult> results = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    results.add(limited.retain(withPayload("t" + thread + "/" + i, "x")));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(results).filteredOn(RetainResult::isRefused).hasSize(300);
        assertThat(limited.size()).isEqualTo(100);
        assertThat(limited.matching("#", 0)).hasSize(100);
    }
}
