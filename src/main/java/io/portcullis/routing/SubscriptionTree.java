package io.portcullis.routing;

import io.portcullis.logging.LogText;
import io.portcullis.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All subscriptions of the broker as a trie of topic filter levels, and the fan-out of a published
 * message to the matching subscribers. {@link #route} is lock-free and called concurrently from
 * every publisher's event loop; {@link #subscribe} and {@link #unsubscribe} lock only the filter's
 * node (see {@link LevelNode} for why pruning cannot lose a concurrent subscribe).
 *
 * <p>Each node holds its plain subscriptions and its shared groups as copy-on-write arrays, so a
 * router reads a consistent snapshot of each node. Subscribers are told apart by {@code equals}.
 */
public final class SubscriptionTree {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionTree.class);
    private static final Subscription[] NO_SUBSCRIPTIONS = new Subscription[0];
    private static final SharedGroup[] NO_GROUPS = new SharedGroup[0];

    private final Node root = new Node(null, "");
    private final AtomicInteger subscriptionCount = new AtomicInteger();
    private final ThreadLocal<MatchCollector> collectors = ThreadLocal.withInitial(MatchCollector::new);

    public SubscriptionTree() {
    }

    /**
     * Adds or replaces the subscriber's subscription to {@code filter}, a plain filter or
     * {@code $share/<group>/<filter>}. Returns the options it replaced, or {@code null} when it is new.
     * Thread-safe.
     *
     * @throws IllegalArgumentException when the filter is not a valid topic filter; the protocol
     *                                  layer validates filters first, so this is a programming error
     */
    public SubscriptionOptions subscribe(Subscriber subscriber, String filter, SubscriptionOptions options) {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        Target target = Target.of(filter);
        Subscription subscription = Subscription.of(subscriber, options);

        while (true) {
            Node node = LevelNode.pathForWrite(root, target.levels);
            if (node == null) {
                continue;
            }
            synchronized (node) {
                if (node.isRemoved()) {
                    continue;
                }
                SubscriptionOptions replaced = target.shareName == null
                        ? node.putPlain(subscription)
                        : node.putShared(target.shareName, subscription);
                if (replaced == null) {
                    subscriptionCount.incrementAndGet();
                }
                return replaced;
            }
        }
    }

    /** Removes the subscriber's subscription to {@code filter}; returns whether it existed. Thread-safe. */
    public boolean unsubscribe(Subscriber subscriber, String filter) {
        Objects.requireNonNull(subscriber, "subscriber");
        Target target = Target.of(filter);

        // A live node is always reachable by its path (see LevelNode), so a subscription that exists
        // is found; a node pruned after this lookup holds nothing, and removing from it finds nothing.
        Node node = LevelNode.path(root, target.levels);
        if (node == null) {
            return false;
        }
        boolean removed;
        synchronized (node) {
            removed = target.shareName == null
                    ? node.removePlain(subscriber)
                    : node.removeShared(target.shareName, subscriber);
        }
        if (removed) {
            subscriptionCount.decrementAndGet();
            LevelNode.prune(node);
        }
        return removed;
    }

    /**
     * Routes one message: delivers once to each matching subscriber, merging its overlapping
     * subscriptions (highest QoS, all subscription identifiers ascending, RETAIN as published when any
     * has Retain As Published), and once per matching shared group to one member chosen round-robin,
     * preferring connected members. A subscription with No Local does not match its own client's
     * messages [MQTT-3.8.3-3]. Returns the number of deliveries; 0 lets an MQTT 5 publisher be told
     * 0x10 No matching subscribers. Lock-free; safe to call from many threads at once.
     *
     * <p>No Local is not applied to shared subscriptions: setting it on one is a Protocol Error
     * [MQTT-3.8.3-4] that the protocol layer refuses before subscribing. {@code message.topic()} must be
     * a valid topic name (no wildcards).
     */
    public int route(Message message) {
        String[] levels = LevelNode.levels(message.topic());
        MatchCollector collector = collectors.get();
        if (collector.inUse) {
            // A subscriber's deliver routed another message on this thread; keep the outer one's state.
            collector = new MatchCollector();
        }
        collector.inUse = true;
        try {
            collect(root, levels, 0, levels[0].startsWith("$"), collector);
            return deliverShared(message, collector) + deliverPlain(message, collector);
        } finally {
            collector.reset();
        }
    }

    /** The number of subscriptions, plain and shared. */
    public int subscriptionCount() {
        return subscriptionCount.get();
    }

    /** The number of trie nodes below the root; lets tests check that unsubscribe prunes. */
    int nodeCount() {
        return countNodes(root) - 1;
    }

    private static int countNodes(Node node) {
        int count = 1;
        for (Node child : node.children()) {
            count += countNodes(child);
        }
        return count;
    }

    private static void collect(Node node, String[] levels, int index, boolean dollarTopic,
                                MatchCollector collector) {
        // Topics starting with '$' are not matched by a filter starting with a wildcard [MQTT-4.7.2-1].
        boolean wildcardsAllowed = index > 0 || !dollarTopic;
        if (wildcardsAllowed) {
            // '#' matches this level and everything below, including the parent: "a/#" matches "a".
            Node multiLevel = node.child("#");
            if (multiLevel != null) {
                multiLevel.collectInto(collector);
            }
        }
        if (index == levels.length) {
            node.collectInto(collector);
            return;
        }
        if (wildcardsAllowed) {
            Node singleLevel = node.child("+");
            if (singleLevel != null) {
                collect(singleLevel, levels, index + 1, dollarTopic, collector);
            }
        }
        Node literal = node.child(levels[index]);
        if (literal != null) {
            collect(literal, levels, index + 1, dollarTopic, collector);
        }
    }

    private static int deliverShared(Message message, MatchCollector collector) {
        int deliveries = 0;
        for (int i = 0; i < collector.sharedCount; i++) {
            for (SharedGroup group : collector.shared[i]) {
                Subscription member = group.choose();
                if (member != null && deliver(member.subscriber(), message, member.options().qos(),
                        member.retainFlag(message), member.identifiers())) {
                    deliveries++;
                }
            }
        }
        return deliveries;
    }

    private static int deliverPlain(Message message, MatchCollector collector) {
        if (collector.plainCount == 1) {
            // One matching node holds each subscriber at most once: nothing to merge.
            int deliveries = 0;
            for (Subscription subscription : collector.plain[0]) {
                if (!subscription.excludesAsLocal(message) && deliver(subscription.subscriber(), message,
                        subscription.options().qos(), subscription.retainFlag(message),
                        subscription.identifiers())) {
                    deliveries++;
                }
            }
            return deliveries;
        }
        if (collector.plainCount == 0) {
            return 0;
        }

        collector.startMerge(collector.plainEntries);
        for (int i = 0; i < collector.plainCount; i++) {
            for (Subscription subscription : collector.plain[i]) {
                // Only the subscription with No Local drops out; the subscriber's others still count.
                if (!subscription.excludesAsLocal(message)) {
                    collector.merge(subscription);
                }
            }
        }
        int deliveries = 0;
        for (int i = 0; i < collector.mergedCount(); i++) {
            Subscriber subscriber = collector.mergedSubscriber(i);
            Object merged = collector.mergedValue(i);
            boolean delivered;
            if (merged instanceof Subscription single) {
                delivered = deliver(subscriber, message, single.options().qos(), single.retainFlag(message),
                        single.identifiers());
            } else {
                MatchCollector.Merge many = (MatchCollector.Merge) merged;
                delivered = deliver(subscriber, message, many.maximumQos,
                        message.retain() && many.retainAsPublished, many.identifiers());
            }
            if (delivered) {
                deliveries++;
            }
        }
        return deliveries;
    }

    private static boolean deliver(Subscriber subscriber, Message message, int maximumQos, boolean retainFlag,
                                   List<Integer> identifiers) {
        try {
            subscriber.deliver(message, maximumQos, retainFlag, identifiers);
            return true;
        } catch (RuntimeException e) {
            // One faulty session must not cost the other subscribers their copy.
            LOG.error("Delivery failed: clientId={} topic={}", LogText.token(subscriber.clientId()),
                    LogText.token(message.topic()), e);
            return false;
        }
    }

    /** A filter split for the tree: its levels and, for a shared subscription, the share name. */
    private record Target(String shareName, String[] levels) {

        static Target of(String filter) {
            Objects.requireNonNull(filter, "filter");
            String shareName = null;
            String plainFilter = filter;
            if (Topics.isShared(filter)) {
                Topics.SharedFilter shared = Topics.parseShared(filter);
                if (shared == null) {
                    throw new IllegalArgumentException("invalid shared subscription filter: " + filter);
                }
                shareName = shared.shareName();
                plainFilter = shared.filter();
            }
            String problem = Topics.validateFilter(plainFilter, Integer.MAX_VALUE, Integer.MAX_VALUE);
            if (problem != null) {
                throw new IllegalArgumentException(problem + ": " + filter);
            }
            return new Target(shareName, LevelNode.levels(plainFilter));
        }
    }

    /** A filter level: its plain subscriptions and shared groups, each array copied on write under the lock. */
    static final class Node extends LevelNode<Node> {
        private volatile Subscription[] subscriptions = NO_SUBSCRIPTIONS;
        private volatile SharedGroup[] groups = NO_GROUPS;

        Node(Node parent, String level) {
            super(parent, level);
        }

        @Override
        Node newChild(String childLevel) {
            return new Node(this, childLevel);
        }

        @Override
        boolean holdsNothing() {
            return subscriptions.length == 0 && groups.length == 0;
        }

        void collectInto(MatchCollector collector) {
            Subscription[] plain = subscriptions;
            if (plain.length > 0) {
                collector.addPlain(plain);
            }
            SharedGroup[] shared = groups;
            if (shared.length > 0) {
                collector.addShared(shared);
            }
        }

        SubscriptionOptions putPlain(Subscription subscription) {
            Subscription[] current = subscriptions;
            int index = SharedGroup.indexOf(current, subscription.subscriber());
            if (index >= 0) {
                Subscription[] copy = current.clone();
                copy[index] = subscription;
                subscriptions = copy;
                return current[index].options();
            }
            Subscription[] copy = Arrays.copyOf(current, current.length + 1);
            copy[current.length] = subscription;
            subscriptions = copy;
            return null;
        }

        boolean removePlain(Subscriber subscriber) {
            Subscription[] current = subscriptions;
            int index = SharedGroup.indexOf(current, subscriber);
            if (index < 0) {
                return false;
            }
            subscriptions = SharedGroup.without(current, index);
            return true;
        }

        SubscriptionOptions putShared(String shareName, Subscription subscription) {
            SharedGroup group = group(shareName);
            if (group == null) {
                group = new SharedGroup(shareName);
                SharedGroup[] current = groups;
                SharedGroup[] copy = Arrays.copyOf(current, current.length + 1);
                copy[current.length] = group;
                // The member goes in before the group is published, so no router sees an empty group.
                group.put(subscription);
                groups = copy;
                return null;
            }
            return group.put(subscription);
        }

        boolean removeShared(String shareName, Subscriber subscriber) {
            SharedGroup group = group(shareName);
            if (group == null || !group.remove(subscriber)) {
                return false;
            }
            if (group.isEmpty()) {
                SharedGroup[] current = groups;
                SharedGroup[] copy = new SharedGroup[current.length - 1];
                int next = 0;
                for (SharedGroup each : current) {
                    if (each != group) {
                        copy[next++] = each;
                    }
                }
                groups = copy;
            }
            return true;
        }

        private SharedGroup group(String shareName) {
            for (SharedGroup group : groups) {
                if (group.shareName.equals(shareName)) {
                    return group;
                }
            }
            return null;
        }
    }
}
