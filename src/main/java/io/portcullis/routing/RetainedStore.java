package io.portcullis.routing;

import io.portcullis.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retained message of each topic, in a trie of topic levels so that a filter with literal leading
 * levels only visits the matching branch. Reads are lock-free; a change locks only its topic's node
 * (see {@link LevelNode} for why pruning cannot lose a concurrent store). Called from any event loop.
 *
 * <p>Limits refuse new messages rather than evict old ones: at most {@code maximumMessages} topics hold
 * a retained message (replacing one is always allowed), and a payload may have at most
 * {@code maximumMessageSize} bytes. Messages are kept in memory and reported to a {@link RetainedJournal},
 * which a durable store implements; {@link #restore} puts them back at start-up.
 */
public final class RetainedStore {
    private final Node root = new Node(null, "");
    private final AtomicInteger count = new AtomicInteger();
    private final int maximumMessages;
    private final int maximumMessageSize;
    private final RetainedJournal journal;

    /** A store in memory only. */
    public RetainedStore(int maximumMessages, int maximumMessageSize) {
        this(maximumMessages, maximumMessageSize, RetainedJournal.NONE);
    }

    public RetainedStore(int maximumMessages, int maximumMessageSize, RetainedJournal journal) {
        if (maximumMessages < 0) {
            throw new IllegalArgumentException("maximumMessages must not be negative");
        }
        if (maximumMessageSize < 0) {
            throw new IllegalArgumentException("maximumMessageSize must not be negative");
        }
        this.maximumMessages = maximumMessages;
        this.maximumMessageSize = maximumMessageSize;
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    /**
     * Stores {@code message} as the retained message of its topic, replacing any previous one, or
     * deletes the topic's retained message when the payload is empty [MQTT-3.3.1-6, MQTT-3.3.1-7].
     * Deleting a topic without a retained message is not an error. Thread-safe.
     */
    public RetainResult retain(Message message) {
        return store(message, true);
    }

    /**
     * Deletes the retained message of {@code topic} exactly as a retained PUBLISH with an empty payload does
     * (the journal is told), and returns whether there was one. Thread-safe.
     */
    public boolean remove(String topic) {
        Objects.requireNonNull(topic, "topic");
        return delete(LevelNode.levels(topic), topic, true);
    }

    /**
     * Recovery at start-up: puts back a retained message read from the durable store, within the limits,
     * without reporting it to the journal.
     */
    public RetainResult restore(Message message) {
        return store(message, false);
    }

    private RetainResult store(Message message, boolean report) {
        Objects.requireNonNull(message, "message");
        String[] levels = LevelNode.levels(message.topic());
        if (message.payload().length == 0) {
            delete(levels, message.topic(), report);
            return RetainResult.DELETED;
        }
        if (message.payload().length > maximumMessageSize) {
            return new RetainResult(RetainResult.Outcome.SIZE_LIMIT_EXCEEDED, "retained message payload of "
                    + message.payload().length + " bytes exceeds maximumRetainedMessageSize="
                    + maximumMessageSize);
        }

        while (true) {
            Node node = LevelNode.pathForWrite(root, levels);
            if (node == null) {
                continue;
            }
            synchronized (node) {
                if (node.isRemoved()) {
                    continue;
                }
                if (node.message != null || reserveSlot()) {
                    node.message = message;
                    if (report) {
                        journal.retained(message);
                    }
                    return RetainResult.STORED;
                }
            }
            // The walk may have created the node for nothing.
            LevelNode.prune(node);
            return new RetainResult(RetainResult.Outcome.COUNT_LIMIT_REACHED,
                    "maximumRetainedMessages=" + maximumMessages + " reached");
        }
    }

    /**
     * The retained messages whose topic matches {@code filter} (a plain filter, not {@code $share/}),
     * in no particular order. Expired messages are left out and removed. Topics starting with
     * {@code $} are not matched by a filter starting with a wildcard [MQTT-4.7.2-1]. Lock-free.
     *
     * @throws IllegalArgumentException when the filter is not a valid topic filter
     */
    public List<Message> matching(String filter, long nowMillis) {
        String problem = Topics.validateFilter(filter, Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": " + filter);
        }
        List<Message> found = new ArrayList<>();
        collect(root, LevelNode.levels(filter), 0, nowMillis, found);
        return found;
    }

    /** The number of retained messages, expired ones included until they are noticed or purged. */
    public int size() {
        return count.get();
    }

    /** Removes the expired messages; returns how many. */
    public int purgeExpired(long nowMillis) {
        return purge(root, nowMillis);
    }

    /** The number of trie nodes below the root; lets tests check that deletes prune. */
    int nodeCount() {
        return countNodes(root) - 1;
    }

    private static int countNodes(Node node) {
        int nodes = 1;
        for (Node child : node.children()) {
            nodes += countNodes(child);
        }
        return nodes;
    }

    private boolean delete(String[] levels, String topic, boolean report) {
        Node node = LevelNode.path(root, levels);
        if (node == null) {
            return false;
        }
        boolean deleted;
        synchronized (node) {
            deleted = node.message != null;
            node.message = null;
            if (deleted && report) {
                journal.removed(topic);
            }
        }
        if (deleted) {
            count.decrementAndGet();
            LevelNode.prune(node);
        }
        return deleted;
    }

    private boolean reserveSlot() {
        while (true) {
            int current = count.get();
            if (current >= maximumMessages) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void collect(Node node, String[] levels, int index, long nowMillis, List<Message> found) {
        if (index == levels.length) {
            addIfLive(node, nowMillis, found);
            return;
        }
        String level = levels[index];
        // A filter starting with a wildcard does not match topics starting with '$' [MQTT-4.7.2-1].
        boolean skipDollar = index == 0;
        if (level.equals("#")) {
            // '#' includes the parent level: "a/#" matches "a" [MQTT-4.7.1-2]. The root holds nothing.
            addIfLive(node, nowMillis, found);
            for (Node child : node.children()) {
                if (!(skipDollar && child.level.startsWith("$"))) {
                    collectAll(child, nowMillis, found);
                }
            }
        } else if (level.equals("+")) {
            for (Node child : node.children()) {
                if (!(skipDollar && child.level.startsWith("$"))) {
                    collect(child, levels, index + 1, nowMillis, found);
                }
            }
        } else {
            Node child = node.child(level);
            if (child != null) {
                collect(child, levels, index + 1, nowMillis, found);
            }
        }
    }

    private void collectAll(Node node, long nowMillis, List<Message> found) {
        addIfLive(node, nowMillis, found);
        for (Node child : node.children()) {
            collectAll(child, nowMillis, found);
        }
    }

    private void addIfLive(Node node, long nowMillis, List<Message> found) {
        Message message = node.message;
        if (message == null) {
            return;
        }
        if (message.isExpired(nowMillis)) {
            expire(node, message);
        } else {
            found.add(message);
        }
    }

    private int purge(Node node, long nowMillis) {
        int purged = 0;
        Message message = node.message;
        if (message != null && message.isExpired(nowMillis) && expire(node, message)) {
            purged++;
        }
        for (Node child : node.children()) {
            purged += purge(child, nowMillis);
        }
        return purged;
    }

    /** Removes {@code expired} unless a newer message replaced it meanwhile; returns whether it did. */
    private boolean expire(Node node, Message expired) {
        synchronized (node) {
            if (node.message != expired) {
                return false;
            }
            node.message = null;
            journal.removed(expired.topic());
        }
        count.decrementAndGet();
        LevelNode.prune(node);
        return true;
    }

    /** A topic level and its retained message, if any; the message is written under the node's lock. */
    static final class Node extends LevelNode<Node> {
        volatile Message message;

        Node(Node parent, String level) {
            super(parent, level);
        }

        @Override
        Node newChild(String childLevel) {
            return new Node(this, childLevel);
        }

        @Override
        boolean holdsNothing() {
            return message == null;
        }
    }
}
