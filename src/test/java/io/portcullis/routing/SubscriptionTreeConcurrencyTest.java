package io.portcullis.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.portcullis.routing.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routers, subscribers and unsubscribers racing on one tree for about a second. Stable subscriptions
 * must get exactly one copy of every routed message however the rest of the tree changes.
 */
class SubscriptionTreeConcurrencyTest {
    private static final long RUN_MILLIS = 1_000;
    private static final String TOPIC = "s/a/t";
    private static final List<String> CHURN_FILTERS = List.of("s/a/t", "s/#", "s/+/t", "s/a/t/x/y", "s/a", "#",
            "+/a/#", "$share/churn/s/a/t", "$share/churn/#", "$share/other/s/+/+", "s/b/t", "t/a/s");

    private final SubscriptionTree tree = new SubscriptionTree();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @Test
    void stableSubscribersGetExactlyOneCopyPerMessageWhileTheTreeChanges() throws InterruptedException {
        RecordingSubscriber wildcard = new RecordingSubscriber("wildcard", false);
        RecordingSubscriber multiLevel = new RecordingSubscriber("multi-level", false);
        RecordingSubscriber soleMember = new RecordingSubscriber("sole-member", false);
        RecordingSubscriber memberOne = new RecordingSubscriber("member-1", false);
        RecordingSubscriber memberTwo = new RecordingSubscriber("member-2", false);
        tree.subscribe(wildcard, "s/+/t", SubscriptionOptions.ofQos(1));
        tree.subscribe(multiLevel, "s/#", SubscriptionOptions.ofQos(1));
        tree.subscribe(soleMember, "$share/g/s/a/t", SubscriptionOptions.ofQos(1));
        tree.subscribe(memberOne, "$share/h/s/#", SubscriptionOptions.ofQos(1));
        tree.subscribe(memberTwo, "$share/h/s/#", SubscriptionOptions.ofQos(1));
        int stableNodes = tree.nodeCount();

        AtomicLong routed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(worker(() -> {
                tree.route(message(TOPIC));
                routed.incrementAndGet();
            }));
        }
        for (int i = 0; i < 2; i++) {
            int churnId = i;
            threads.add(worker(() -> churn(churnId)));
        }
        // The stable subscriber's own second subscription comes and goes: it must never get two copies.
        threads.add(worker(() -> {
            tree.subscribe(wildcard, "s/a/+", SubscriptionOptions.ofQos(2));
            tree.unsubscribe(wildcard, "s/a/+");
        }));
        // Neighbouring filters prune each other's parents; each checks its own subscription is never lost.
        for (String filter : List.of("p/q", "p/q/r", "p/q/r/s", "p/x/r")) {
            RecordingSubscriber prober = new RecordingSubscriber("prober " + filter, false);
            threads.add(worker(() -> subscribeRouteUnsubscribe(prober, filter)));
        }

        CountDownLatch started = new CountDownLatch(threads.size());
        threads.forEach(thread -> {
            thread.start();
            started.countDown();
        });
        started.await();
        Thread.sleep(RUN_MILLIS);
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
            assertThat(thread.isAlive()).isFalse();
        }

        assertThat(failures).isEmpty();
        assertThat(routed.get()).isPositive();
        assertThat(wildcard.deliveryCount()).isEqualTo(routed.get());
        assertThat(multiLevel.deliveryCount()).isEqualTo(routed.get());
        assertThat(soleMember.deliveryCount()).isEqualTo(routed.get());
        assertThat(memberOne.deliveryCount() + memberTwo.deliveryCount()).isEqualTo(routed.get());
        assertThat(tree.subscriptionCount()).isEqualTo(5);
        assertThat(tree.nodeCount()).isEqualTo(stableNodes);
    }

    private Thread worker(Runnable step) {
        return new Thread(() -> {
            try {
                while (running.get()) {
                    step.run();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        });
    }

    private void churn(int churnId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<RecordingSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            subscribers.add(new RecordingSubscriber("churn-" + churnId + "-" + i, false));
        }
        List<String> subscribed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RecordingSubscriber subscriber = subscribers.get(random.nextInt(subscribers.size()));
            String filter = CHURN_FILTERS.get(random.nextInt(CHURN_FILTERS.size()));
            tree.subscribe(subscriber, filter, SubscriptionOptions.ofQos(random.nextInt(3)));
            subscribed.add(subscriber.clientId() + "|" + filter);
        }
        // Unsubscribe everything, so the churn leaves no subscription and no node behind.
        for (String entry : subscribed) {
            int bar = entry.indexOf('|');
            RecordingSubscriber subscriber = subscribers.get(
                    Integer.parseInt(entry.substring(entry.lastIndexOf('-', bar) + 1, bar)));
            tree.unsubscribe(subscriber, entry.substring(bar + 1));
        }
    }

    private void subscribeRouteUnsubscribe(RecordingSubscriber prober, String filter) {
        int before = prober.deliveryCount();
        tree.subscribe(prober, filter, SubscriptionOptions.ofQos(0));
        tree.route(message(filter));
        // Churned filters such as '#' may match too, so only the prober's own count is exact.
        if (prober.deliveryCount() != before + 1) {
            throw new AssertionError("subscription to " + filter + " was lost");
        }
        if (!tree.unsubscribe(prober, filter)) {
            throw new AssertionError("subscription to " + filter + " vanished before unsubscribe");
        }
    }
}
