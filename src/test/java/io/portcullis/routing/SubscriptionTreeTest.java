package io.portcullis.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.portcullis.routing.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubscriptionTreeTest {
    private final SubscriptionTree tree = new SubscriptionTree();

    private static SubscriptionOptions options(int qos, boolean noLocal, boolean retainAsPublished, int identifier) {
        return new SubscriptionOptions(qos, noLocal, retainAsPublished, 0, identifier);
    }

    @Test
    void deliversOnceWithHighestQosAndAllIdentifiersWhenSubscriptionsOverlap() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");
        tree.subscribe(subscriber, "a/#", options(0, false, false, 7));
        tree.subscribe(subscriber, "a/+/c", options(2, false, false, 3));
        tree.subscribe(subscriber, "a/b/c", options(1, false, false, 0));
        tree.subscribe(subscriber, "+/b/#", options(1, false, false, 5));

        int deliveries = tree.route(message("a/b/c"));

        assertThat(deliveries).isEqualTo(1);
        RecordingSubscriber.Delivery delivery = subscriber.onlyDelivery();
        assertThat(delivery.maximumQos()).isEqualTo(2);
        assertThat(delivery.subscriptionIdentifiers()).containsExactly(3, 5, 7);
    }

    @Test
    void givesAnIdentifierSharedByOverlappingSubscriptionsOnce() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");
        tree.subscribe(subscriber, "a/#", options(0, false, false, 4));
        tree.subscribe(subscriber, "a/b", options(0, false, false, 4));

        tree.route(message("a/b"));

        assertThat(subscriber.onlyDelivery().subscriptionIdentifiers()).containsExactly(4);
    }

    @Test
    void givesTheSingleSubscriptionsIdentifierOrNone() {
        RecordingSubscriber withIdentifier = new RecordingSubscriber("with");
        RecordingSubscriber without = new RecordingSubscriber("without");
        tree.subscribe(withIdentifier, "a/b", options(1, false, false, 42));
        tree.subscribe(without, "a/b", options(1, false, false, 0));

        tree.route(message("a/b"));

        assertThat(withIdentifier.onlyDelivery().subscriptionIdentifiers()).containsExactly(42);
        assertThat(without.onlyDelivery().subscriptionIdentifiers()).isEmpty();
    }

    @Test
    void keepsRetainFlagOnlyWhenAMatchingSubscriptionHasRetainAsPublished() {
        RecordingSubscriber asPublished = new RecordingSubscriber("as-published");
        RecordingSubscriber cleared = new RecordingSubscriber("cleared");
        RecordingSubscriber merged = new RecordingSubscriber("merged");
        tree.subscribe(asPublished, "a/b", options(1, false, true, 0));
        tree.subscribe(cleared, "a/b", options(1, false, false, 0));
        tree.subscribe(merged, "a/b", options(1, false, false, 0));
        tree.subscribe(merged, "a/#", options(0, false, true, 0));

        tree.route(message("a/b", 1, true, "publisher"));
        tree.route(message("a/b", 1, false, "publisher"));

        assertThat(asPublished.deliveries()).extracting(RecordingSubscriber.Delivery::retainFlag)
                .containsExactly(true, false);
        assertThat(cleared.deliveries()).extracting(RecordingSubscriber.Delivery::retainFlag)
                .containsExactly(false, false);
        assertThat(merged.deliveries()).extracting(RecordingSubscriber.Delivery::retainFlag)
                .containsExactly(true, false);
    }

    @Test
    void skipsNoLocalSubscriptionForItsOwnClientsMessages() {
        RecordingSubscriber self = new RecordingSubscriber("self");
        RecordingSubscriber other = new RecordingSubscriber("other");
        tree.subscribe(self, "a/b", options(1, true, false, 0));
        tree.subscribe(other, "a/b", options(1, true, false, 0));

        int deliveries = tree.route(message("a/b", 1, false, "self"));

        assertThat(deliveries).isEqualTo(1);
        assertThat(self.deliveries()).isEmpty();
        assertThat(other.deliveries()).hasSize(1);
    }

    @Test
    void mergesOnlyTheOverlappingSubscriptionsWithoutNoLocalForOwnMessages() {
        RecordingSubscriber self = new RecordingSubscriber("self");
        tree.subscribe(self, "a/#", options(2, true, true, 1));
        tree.subscribe(self, "a/+", options(0, false, false, 2));
        tree.subscribe(self, "+/b", options(1, false, false, 3));

        tree.route(message("a/b", 2, true, "self"));
        tree.route(message("a/b", 2, true, "someone-else"));

        assertThat(self.deliveries()).hasSize(2);
        RecordingSubscriber.Delivery own = self.deliveries().get(0);
        assertThat(own.maximumQos()).isEqualTo(1);
        assertThat(own.retainFlag()).isFalse();
        assertThat(own.subscriptionIdentifiers()).containsExactly(2, 3);
        RecordingSubscriber.Delivery foreign = self.deliveries().get(1);
        assertThat(foreign.maximumQos()).isEqualTo(2);
        assertThat(foreign.retainFlag()).isTrue();
        assertThat(foreign.subscriptionIdentifiers()).containsExactly(1, 2, 3);
    }

    @Test
    void returnsZeroWhenNoSubscriptionMatches() {
        tree.subscribe(new RecordingSubscriber("s"), "a/b", SubscriptionOptions.ofQos(1));

        assertThat(tree.route(message("a/c"))).isZero();
        assertThat(tree.route(message("a/b", 1, false, "s"))).isEqualTo(1);
    }

    @Test
    void countsOneDeliveryPerSubscriberAcrossOverlappingSubscriptions() {
        List<RecordingSubscriber> subscribers = IntStream.range(0, 50)
                .mapToObj(i -> new RecordingSubscriber("s" + i)).toList();
        for (RecordingSubscriber subscriber : subscribers) {
            tree.subscribe(subscriber, "a/#", SubscriptionOptions.ofQos(0));
            tree.subscribe(subscriber, "a/b", SubscriptionOptions.ofQos(1));
        }

        assertThat(tree.route(message("a/b"))).isEqualTo(50);
        assertThat(subscribers).allSatisfy(subscriber -> assertThat(subscriber.onlyDelivery().maximumQos()).isOne());
    }

    @Test
    void replacesTheOptionsOfAnExistingSubscription() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");

        assertThat(tree.subscribe(subscriber, "a/b", options(0, false, false, 1))).isNull();
        assertThat(tree.subscribe(subscriber, "a/b", options(2, false, false, 9)))
                .isEqualTo(options(0, false, false, 1));
        tree.route(message("a/b"));

        assertThat(tree.subscriptionCount()).isOne();
        assertThat(subscriber.onlyDelivery().maximumQos()).isEqualTo(2);
        assertThat(subscriber.onlyDelivery().subscriptionIdentifiers()).containsExactly(9);
    }

    @Test
    void replacesASharedMembershipWithoutAddingAMember() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");

        assertThat(tree.subscribe(subscriber, "$share/g/a", SubscriptionOptions.ofQos(0))).isNull();
        assertThat(tree.subscribe(subscriber, "$share/g/a", SubscriptionOptions.ofQos(1)))
                .isEqualTo(SubscriptionOptions.ofQos(0));
        tree.route(message("a"));

        assertThat(tree.subscriptionCount()).isOne();
        assertThat(subscriber.onlyDelivery().maximumQos()).isOne();
    }

    @Test
    void unsubscribeRemovesOnlyThatSubscriptionAndReportsWhetherItExisted() {
        RecordingSubscriber first = new RecordingSubscriber("first");
        RecordingSubscriber second = new RecordingSubscriber("second");
        tree.subscribe(first, "a/b", SubscriptionOptions.ofQos(0));
        tree.subscribe(first, "a/#", SubscriptionOptions.ofQos(0));
        tree.subscribe(second, "a/b", SubscriptionOptions.ofQos(0));

        assertThat(tree.unsubscribe(first, "a/b")).isTrue();
        assertThat(tree.unsubscribe(first, "a/b")).isFalse();
        assertThat(tree.unsubscribe(first, "x/y")).isFalse();
        assertThat(tree.unsubscribe(second, "$share/g/a/b")).isFalse();
        tree.route(message("a/b"));

        assertThat(tree.subscriptionCount()).isEqualTo(2);
        assertThat(first.deliveries()).hasSize(1);
        assertThat(second.deliveries()).hasSize(1);
    }

    @Test
    void prunesEmptyNodesButKeepsThoseStillInUse() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");
        tree.subscribe(subscriber, "a/b/c/d", SubscriptionOptions.ofQos(0));
        tree.subscribe(subscriber, "a/b", SubscriptionOptions.ofQos(0));
        tree.subscribe(subscriber, "$share/g/a/b/x", SubscriptionOptions.ofQos(0));
        assertThat(tree.nodeCount()).isEqualTo(5);

        tree.unsubscribe(subscriber, "a/b/c/d");
        assertThat(tree.nodeCount()).isEqualTo(3);

        tree.unsubscribe(subscriber, "a/b");
        assertThat(tree.nodeCount()).isEqualTo(3);

        tree.unsubscribe(subscriber, "$share/g/a/b/x");
        assertThat(tree.nodeCount()).isZero();
        assertThat(tree.subscriptionCount()).isZero();

        tree.subscribe(subscriber, "a/b", SubscriptionOptions.ofQos(0));
        assertThat(tree.route(message("a/b"))).isOne();
    }

    @Test
    void sharedGroupGetsOneCopySpreadRoundRobinOverMembers() {
        List<RecordingSubscriber> members = IntStream.range(0, 3)
                .mapToObj(i -> new RecordingSubscriber("m" + i)).toList();
        members.forEach(member -> tree.subscribe(member, "$share/g/sensors/+", SubscriptionOptions.ofQos(1)));

        int deliveries = 0;
        for (int i = 0; i < 30; i++) {
            deliveries += tree.route(message("sensors/" + i));
        }

        assertThat(deliveries).isEqualTo(30);
        assertThat(members).allSatisfy(member -> assertThat(member.deliveryCount()).isEqualTo(10));
    }

    @Test
    void sharedGroupPrefersConnectedMembers() {
        RecordingSubscriber offline = new RecordingSubscriber("offline");
        RecordingSubscriber online1 = new RecordingSubscriber("online-1");
        RecordingSubscriber online2 = new RecordingSubscriber("online-2");
        offline.setConnected(false);
        tree.subscribe(offline, "$share/g/a", SubscriptionOptions.ofQos(1));
        tree.subscribe(online1, "$share/g/a", SubscriptionOptions.ofQos(1));
        tree.subscribe(online2, "$share/g/a", SubscriptionOptions.ofQos(1));

        for (int i = 0; i < 20; i++) {
            tree.route(message("a"));
        }

        assertThat(offline.deliveryCount()).isZero();
        assertThat(online1.deliveryCount()).isEqualTo(10);
        assertThat(online2.deliveryCount()).isEqualTo(10);
    }

    @Test
    void sharedGroupWithNoConnectedMemberStillDeliversToOne() {
        RecordingSubscriber first = new RecordingSubscriber("first");
        RecordingSubscriber second = new RecordingSubscriber("second");
        first.setConnected(false);
        second.setConnected(false);
        tree.subscribe(first, "$share/g/a", SubscriptionOptions.ofQos(1));
        tree.subscribe(second, "$share/g/a", SubscriptionOptions.ofQos(1));

        for (int i = 0; i < 4; i++) {
            assertThat(tree.route(message("a"))).isOne();
        }

        assertThat(first.deliveryCount() + second.deliveryCount()).isEqualTo(4);
    }

    @Test
    void eachSharedGroupAndFilterGetsItsOwnCopy() {
        RecordingSubscriber groupOne = new RecordingSubscriber("one");
        RecordingSubscriber groupTwo = new RecordingSubscriber("two");
        RecordingSubscriber sameGroupOtherFilter = new RecordingSubscriber("other-filter");
        tree.subscribe(groupOne, "$share/one/a/#", SubscriptionOptions.ofQos(1));
        tree.subscribe(groupTwo, "$share/two/a/#", SubscriptionOptions.ofQos(1));
        tree.subscribe(sameGroupOtherFilter, "$share/one/a/+", SubscriptionOptions.ofQos(1));

        assertThat(tree.route(message("a/b"))).isEqualTo(3);
        assertThat(groupOne.deliveryCount()).isOne();
        assertThat(groupTwo.deliveryCount()).isOne();
        assertThat(sameGroupOtherFilter.deliveryCount()).isOne();
    }

    @Test
    void memberOfASharedGroupThatAlsoSubscribesPlainlyGetsBothCopies() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");
        tree.subscribe(subscriber, "$share/g/a/b", options(0, false, false, 1));
        tree.subscribe(subscriber, "a/b", options(2, false, false, 2));

        assertThat(tree.route(message("a/b"))).isEqualTo(2);

        Map<Integer, List<Integer>> identifiersByQos = subscriber.deliveries().stream().collect(Collectors.toMap(
                RecordingSubscriber.Delivery::maximumQos, RecordingSubscriber.Delivery::subscriptionIdentifiers));
        assertThat(identifiersByQos).containsOnly(Map.entry(0, List.of(1)), Map.entry(2, List.of(2)));
    }

    @Test
    void sharedSubscriptionsFollowTheDollarTopicRule() {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");
        tree.subscribe(subscriber, "$share/g/#", SubscriptionOptions.ofQos(0));

        assertThat(tree.route(message("$SYS/x"))).isZero();
        assertThat(tree.route(message("x"))).isOne();
    }

    @Test
    void aFailingSubscriberDoesNotCostOthersTheirCopy() {
        Subscriber failing = new Subscriber() {
            @Override
            public String clientId() {
                return "failing";
            }

            @Override
            public boolean isConnected() {
                return true;
            }

            @Override
            public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> identifiers) {
                throw new IllegalStateException("session broke");
            }
        };
        RecordingSubscriber healthy = new RecordingSubscriber("healthy");
        tree.subscribe(failing, "a", SubscriptionOptions.ofQos(0));
        tree.subscribe(healthy, "a", SubscriptionOptions.ofQos(0));

        assertThat(tree.route(message("a"))).isOne();
        assertThat(healthy.deliveryCount()).isOne();
    }

    @Test
    void routeMayBeCalledAgainFromInsideADelivery() {
        RecordingSubscriber inner = new RecordingSubscriber("inner");
        Subscriber forwarding = new Subscriber() {
            @Override
            public String clientId() {
                return "forwarding";
            }

            @Override
            public boolean isConnected() {
                return true;
            }

            @Override
            public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> identifiers) {
                tree.route(message("forwarded/" + message.topic()));
            }
        };
        RecordingSubscriber outer = new RecordingSubscriber("outer");
        tree.subscribe(forwarding, "a/#", SubscriptionOptions.ofQos(0));
        tree.subscribe(forwarding, "a/b", SubscriptionOptions.ofQos(0));
        tree.subscribe(outer, "a/b", SubscriptionOptions.ofQos(0));
        tree.subscribe(outer, "+/b", SubscriptionOptions.ofQos(0));
        tree.subscribe(inner, "forwarded/#", SubscriptionOptions.ofQos(0));
        tree.subscribe(inner, "forwarded/a/+", SubscriptionOptions.ofQos(0));

        assertThat(tree.route(message("a/b"))).isEqualTo(2);
        assertThat(outer.deliveryCount()).isOne();
        assertThat(inner.deliveryCount()).isOne();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a+", "$share/g/", "$share//a", "$share/g+/a", "$share/g/a/#/b"})
    void refusesInvalidFilters(String filter) {
        RecordingSubscriber subscriber = new RecordingSubscriber("s");

        assertThatThrownBy(() -> tree.subscribe(subscriber, filter, SubscriptionOptions.ofQos(0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tree.subscriptionCount()).isZero();
    }
}
