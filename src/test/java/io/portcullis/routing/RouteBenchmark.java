package io.portcullis.routing;

import io.portcullis.protocol.codec.PublishProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@link SubscriptionTree#route} over 10,000 subscriptions of mixed filters (exact, '+', '#', shared,
 * overlapping) held by 4,000 subscribers. Run with
 * {@code java -cp ... org.openjdk.jmh.Main RouteBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RouteBenchmark {
    private static final int SUBSCRIPTIONS = 10_000;
    private static final int SUBSCRIBERS = 4_000;
    private static final int SITES = 50;
    private static final int DEVICES = 100;
    private static final String[] METRICS = {"temperature", "humidity", "power", "status"};

    private SubscriptionTree tree;
    private Message[] messages;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        CountingSubscriber[] subscribers = new CountingSubscriber[SUBSCRIBERS];
        for (int i = 0; i < SUBSCRIBERS; i++) {
            subscribers[i] = new CountingSubscriber("client-" + i);
        }
        tree = new SubscriptionTree();
        int added = 0;
        while (added < SUBSCRIPTIONS) {
            String filter = filter(random);
            CountingSubscriber subscriber = subscribers[random.nextInt(SUBSCRIBERS)];
            SubscriptionOptions options = new SubscriptionOptions(random.nextInt(3), false, random.nextBoolean(), 0,
                    random.nextInt(4) == 0 ? 1 + random.nextInt(100) : 0);
            if (tree.subscribe(subscriber, filter, options) == null) {
                added++;
            }
        }
        messages = new Message[1024];
        for (int i = 0; i < messages.length; i++) {
            String topic = "site/" + random.nextInt(SITES) + "/device/" + random.nextInt(DEVICES) + "/"
                    + METRICS[random.nextInt(METRICS.length)];
            messages[i] = new Message(topic, 1, false, new byte[16], PublishProperties.NONE, "publisher", 0L);
        }
    }

    private static String filter(Random random) {
        int site = random.nextInt(SITES);
        int device = random.nextInt(DEVICES);
        String metric = METRICS[random.nextInt(METRICS.length)];
        int kind = random.nextInt(100);
        if (kind < 60) {
            return "site/" + site + "/device/" + device + "/" + metric;
        } else if (kind < 80) {
            return "site/" + site + "/device/" + device + "/+";
        } else if (kind < 88) {
            return "site/" + site + "/#";
        } else if (kind < 94) {
            return "site/+/device/" + device + "/" + metric;
        } else if (kind < 99) {
            return "$share/group-" + random.nextInt(10) + "/site/" + site + "/device/+/" + metric;
        }
        return "site/#";
    }

    /** Per-thread cursor over the prepared messages. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public int route(Cursor cursor) {
        Message message = messages[cursor.next++ & (messages.length - 1)];
        return tree.route(message);
    }

    @Benchmark
    @Threads(4)
    public int routeFromFourThreads(Cursor cursor) {
        Message message = messages[cursor.next++ & (messages.length - 1)];
        return tree.route(message);
    }

    /** Counts deliveries without synchronisation; the count only keeps the call from being optimised away. */
    private static final class CountingSubscriber implements Subscriber {
        private final String clientId;
        private long delivered;

        CountingSubscriber(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public String clientId() {
            return clientId;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> identifiers) {
            delivered += maximumQos + identifiers.size();
        }
    }
}
