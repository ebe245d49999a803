package io.portcullis.routing;

import io.portcullis.topic.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.portcullis.routing.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

/** Topic matching as the tree does it, for plain and shared subscriptions alike. */
class SubscriptionTreeMatchingTest {

    private static final List<String> FILTERS = List.of(
            "#", "+", "+/+", "+/#", "/+", "/#", "a", "a/", "a/#", "a/+", "a/+/#", "a/b", "a/b/#", "a/b/c",
            "a/+/c", "a/b/+", "+/b/c", "+/+/c", "a//c", "a/+/+", "a/b/c/d", "a//", "+/", "b/#",
            "$SYS", "$SYS/#", "$SYS/+", "$SYS/broker/clients", "+/broker/clients", "$share", "sport/tennis/+",
            "sport/+", "sport/#", "x/y/z/#");

    private static final List<String> TOPICS = List.of(
            "a", "a/", "/a", "/", "//", "a/b", "a/b/", "a/b/c", "a//c", "a/x/c", "a/b/c/d", "a/b/c/d/e", "b",
            "b/c", "ab", "a b", "$SYS", "$SYS/broker", "$SYS/broker/clients", "$share", "sport", "sport/",
            "sport/tennis", "sport/tennis/player1", "sport/tennis/player1/ranking", "x/y/z", "x/y", "é/ü");

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "a/b/c      | a/b/c     | true",
            "a/b/c      | a/b       | false",
            "a/b        | a/b/c     | false",
            "a/+/c      | a/b/c     | true",
            "a/+/c      | a//c      | true",
            "a/+        | a/b/c     | false",
            "a/#        | a         | true",
            "a/#        | a/b/c     | true",
            "a/#        | ab        | false",
            "#          | a/b       | true",
            "#          | /a        | true",
            "+          | /a        | false",
            "+/+        | /a        | true",
            "/+         | /a        | true",
            "+          | a         | true",
            "#          | $SYS/x    | false",
            "#          | $SYS      | false",
            "+          | $SYS      | false",
            "+/x        | $SYS/x    | false",
            "+/#        | $SYS/x    | false",
            "$SYS/#     | $SYS/x    | true",
            "$SYS/#     | $SYS      | true",
            "$SYS/+     | $SYS/x    | true",
            "a/$SYS     | a/$SYS    | true",
            "a/+        | a/$SYS    | true",
            "a/#        | a/$SYS    | true",
            "a/b/#      | a/b       | true",
            "a/+/#      | a/b       | true",
            "a/+/#      | a         | false",
            "sport/tennis/+ | sport/tennis/player1 | true",
            "sport/tennis/+ | sport/tennis/player1/ranking | false",
            "sport/+    | sport     | false",
            "sport/+    | sport/    | true",
            "sport/#    | sport     | true",
            "abc        | abd       | false",
            "a/b/       | a/b/      | true",
            "a/b/       | a/b       | false",
            "a//c       | a/c       | false",
            "+/+/+      | //        | true",
            "A/b        | a/b       | false",
    })
    void routesToSubscriptionsWhoseFilterMatches(String filter, String topic, boolean expected) {
        SubscriptionTree tree = new SubscriptionTree();
        RecordingSubscriber plain = new RecordingSubscriber("plain");
        RecordingSubscriber shared = new RecordingSubscriber("shared");
        tree.subscribe(plain, filter, SubscriptionOptions.ofQos(1));
        tree.subscribe(shared, "$share/group/" + filter, SubscriptionOptions.ofQos(1));

        int deliveries = tree.route(message(topic));

        assertThat(deliveries).isEqualTo(expected ? 2 : 0);
        assertThat(plain.deliveryCount()).isEqualTo(expected ? 1 : 0);
        assertThat(shared.deliveryCount()).isEqualTo(expected ? 1 : 0);
    }

    static Stream<String> topics() {
        return TOPICS.stream();
    }

    /** Every filter subscribed at once, so branches of the trie interfere; each topic checked against all. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void routesEachTopicToExactlyTheMatchingFiltersAmongMany(String topic) {
        SubscriptionTree tree = new SubscriptionTree();
        List<RecordingSubscriber> subscribers = new ArrayList<>();
        for (String filter : FILTERS) {
            RecordingSubscriber subscriber = new RecordingSubscriber(filter);
            tree.subscribe(subscriber, filter, SubscriptionOptions.ofQos(0));
            subscribers.add(subscriber);
        }

        int deliveries = tree.route(message(topic));

        List<String> expected = FILTERS.stream().filter(filter -> Topics.matches(filter, topic)).toList();
        List<String> delivered = subscribers.stream()
                .filter(subscriber -> subscriber.deliveryCount() > 0)
                .map(RecordingSubscriber::clientId)
                .toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(subscribers).allSatisfy(subscriber -> assertThat(subscriber.deliveryCount()).isLessThanOrEqualTo(1));
        assertThat(deliveries).isEqualTo(expected.size());
    }
}
