package io.portcullis.routing;

import java.util.Arrays;
import java.util.List;

/**
 * Per-thread scratch space for one {@link SubscriptionTree#route} call: the subscription arrays and
 * shared groups of the matched tree nodes, and an open-addressing table that merges one subscriber's
 * overlapping subscriptions. Reused across calls on the same thread so routing allocates only for
 * subscribers that really have several matching subscriptions. Confined to one thread.
 */
final class MatchCollector {
    private static final int INITIAL_TABLE = 64;
    // A table grown past this by a huge fan-out is dropped after use rather than kept per thread.
    private static final int MAXIMUM_KEPT_TABLE = 1 << 14;

    // Every field below is mutable on purpose: the collector is scratch reused by one thread's routes.
    boolean inUse;

    Subscription[][] plain = new Subscription[8][];
    int plainCount;
    int plainEntries;
    SharedGroup[][] shared = new SharedGroup[8][];
    int sharedCount;

    private Subscriber[] keys = new Subscriber[INITIAL_TABLE];
    // A Subscription while the subscriber has one match, a Merge from the second on.
    private Object[] values = new Object[INITIAL_TABLE];
    private int[] usedSlots = new int[INITIAL_TABLE];
    private int usedCount;

    void addPlain(Subscription[] subscriptions) {
        if (plainCount == plain.length) {
            plain = Arrays.copyOf(plain, plainCount * 2);
        }
        plain[plainCount++] = subscriptions;
        plainEntries += subscriptions.length;
    }

    void addShared(SharedGroup[] groups) {
        if (sharedCount == shared.length) {
            shared = Arrays.copyOf(shared, sharedCount * 2);
        }
        shared[sharedCount++] = groups;
    }

    /** Prepares the merge table for {@code entries} subscriptions. */
    void startMerge(int entries) {
        int wanted = Integer.highestOneBit(Math.max(entries, 8) * 2 - 1) << 1;
        if (keys.length < wanted) {
            keys = new Subscriber[wanted];
            values = new Object[wanted];
        }
        if (usedSlots.length < entries) {
            usedSlots = new int[wanted];
        }
    }

    /** Adds one matched subscription (not excluded by No Local) to its subscriber's merged entry. */
    void merge(Subscription subscription) {
        Subscriber subscriber = subscription.subscriber();
        int mask = keys.length - 1;
        int slot = spread(subscriber.hashCode()) & mask;
        while (keys[slot] != null) {
            if (keys[slot].equals(subscriber)) {
                Object existing = values[slot];
                Merge merged = existing instanceof Merge m ? m : new Merge((Subscription) existing);
                merged.add(subscription);
                values[slot] = merged;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = subscriber;
        values[slot] = subscription;
        usedSlots[usedCount++] = slot;
    }

    int mergedCount() {
        return usedCount;
    }

    Subscriber mergedSubscriber(int index) {
        return keys[usedSlots[index]];
    }

    /** The merged value of the index-th subscriber: a {@link Subscription} or a {@link Merge}. */
    Object mergedValue(int index) {
        return values[usedSlots[index]];
    }

    /** Forgets everything collected, so no subscriber is kept reachable from the thread. */
    void reset() {
        for (int i = 0; i < usedCount; i++) {
            keys[usedSlots[i]] = null;
            values[usedSlots[i]] = null;
        }
        usedCount = 0;
        if (keys.length > MAXIMUM_KEPT_TABLE) {
            keys = new Subscriber[INITIAL_TABLE];
            values = new Object[INITIAL_TABLE];
            usedSlots = new int[INITIAL_TABLE];
        }
        Arrays.fill(plain, 0, plainCount, null);
        Arrays.fill(shared, 0, sharedCount, null);
        plainCount = 0;
        plainEntries = 0;
        sharedCount = 0;
        inUse = false;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    /** Overlapping subscriptions of one subscriber folded together. */
    static final class Merge {
        int maximumQos;
        boolean retainAsPublished;
        private int[] identifiers = new int[4];
        private int identifierCount;

        Merge(Subscription first) {
            add(first);
        }

        void add(Subscription subscription) {
            SubscriptionOptions options = subscription.options();
            maximumQos = Math.max(maximumQos, options.qos());
            retainAsPublished |= options.retainAsPublished();
            int identifier = options.subscriptionIdentifier();
            if (identifier != 0) {
                if (identifierCount == identifiers.length) {
                    identifiers = Arrays.copyOf(identifiers, identifierCount * 2);
                }
                identifiers[identifierCount++] = identifier;
            }
        }

        /** The distinct identifiers, ascending [MQTT-3.3.4-3]. */
        List<Integer> identifiers() {
            if (identifierCount == 0) {
                return List.of();
            }
            Arrays.sort(identifiers, 0, identifierCount);
            Integer[] distinct = new Integer[identifierCount];
            int count = 0;
            for (int i = 0; i < identifierCount; i++) {
                if (count == 0 || distinct[count - 1] != identifiers[i]) {
                    distinct[count++] = identifiers[i];
                }
            }
            return List.of(Arrays.copyOf(distinct, count));
        }
    }
}
