package io.portcullis.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one shared subscription ({@code $share/<group>/<filter>}) and the round-robin
 * cursor that spreads messages among them. Members are a copy-on-write array changed under the
 * owning tree node's lock; {@link #choose()} is lock-free and called from any publisher thread.
 */
final class SharedGroup {
    private static final Subscription[] NO_MEMBERS = new Subscription[0];

    final String shareName;
    private final AtomicInteger cursor = new AtomicInteger();
    private volatile Subscription[] members = NO_MEMBERS;

    SharedGroup(String shareName) {
        this.shareName = shareName;
    }

    /**
     * The member to receive the next message: the next connected one in turn, or, when none is
     * connected, the next one in turn (its session queues the message). {@code null} when empty.
     */
    Subscription choose() {
        Subscription[] snapshot = members;
        int size = snapshot.length;
        if (size == 0) {
            return null;
        }
        // Each try consumes a turn, so connected members share messages evenly even while others
        // are offline; floorMod keeps the index valid after the counter wraps.
        Subscription first = null;
        for (int i = 0; i < size; i++) {
            Subscription candidate = snapshot[Math.floorMod(cursor.getAndIncrement(), size)];
            if (candidate.subscriber().isConnected()) {
                return candidate;
            }
            if (first == null) {
                first = candidate;
            }
        }
        return first;
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    int size() {
        return members.length;
    }

    /** Adds or replaces the member's subscription; returns the replaced options or null. Under the node lock. */
    SubscriptionOptions put(Subscription subscription) {
        Subscription[] current = members;
        int index = indexOf(current, subscription.subscriber());
        if (index >= 0) {
            Subscription[] copy = current.clone();
            copy[index] = subscription;
            members = copy;
            return current[index].options();
        }
        Subscription[] copy = Arrays.copyOf(current, current.length + 1);
        copy[current.length] = subscription;
        members = copy;
        return null;
    }

    /** Removes the member; returns whether it was one. Under the node lock. */
    boolean remove(Subscriber subscriber) {
        Subscription[] current = members;
        int index = indexOf(current, subscriber);
        if (index < 0) {
            return false;
        }
        members = without(current, index);
        return true;
    }

    static int indexOf(Subscription[] subscriptions, Subscriber subscriber) {
        for (int i = 0; i < subscriptions.length; i++) {
            if (subscriptions[i].subscriber().equals(subscriber)) {
                return i;
            }
        }
        return -1;
    }

    static Subscription[] without(Subscription[] subscriptions, int index) {
        Subscription[] copy = new Subscription[subscriptions.length - 1];
        System.arraycopy(subscriptions, 0, copy, 0, index);
        System.arraycopy(subscriptions, index + 1, copy, index, copy.length - index);
        return copy;
    }
}
