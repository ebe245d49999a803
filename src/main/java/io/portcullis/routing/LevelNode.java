package io.portcullis.routing;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of a topic trie, shared by {@link SubscriptionTree} and {@link RetainedStore}. Readers
 * walk children without locks; a writer locks one node at a time, and pruning locks a parent and
 * then its child.
 *
 * <p>Why a writer never loses its change to a concurrent prune:
 * <ul>
 *   <li>a child is added only while holding the parent's lock, and only if the parent is not removed;</li>
 *   <li>a node is removed (flagged, then unlinked from its parent) only while holding its parent's lock
 *       and its own, and only when it holds nothing and has no children;</li>
 *   <li>a writer changes a node only while holding its lock and after seeing that it is not removed;
 *       otherwise it walks again from the root.</li>
 * </ul>
 * A node that is not removed is therefore still linked to its parent, so that parent has a child and
 * cannot be removed either: every live node is reachable from the root. A change made to a live node
 * under its lock keeps the node, and so its ancestors, from being pruned until the change is undone.
 * Removed nodes never get children again, so a walk that strays into one finds nothing below it.
 * Locks are always taken parent before child, so concurrent pruners cannot deadlock.
 *
 * @param <N> the concrete node type
 */
abstract class LevelNode<N extends LevelNode<N>> {
    final N parent;
    final String level;

    // Created with the first child, under this node's lock; read without a lock.
    private volatile ConcurrentHashMap<String, N> children;
    // Guarded by this node's lock.
    private boolean removed;

    LevelNode(N parent, String level) {
        this.parent = parent;
        this.level = level;
    }

    /** Creates the child node for {@code childLevel}. Called under this node's lock. */
    abstract N newChild(String childLevel);

    /** Whether this node holds no subscription or message. Called under this node's lock. */
    abstract boolean holdsNothing();

    /** The child for a level, or {@code null}; lock-free. */
    final N child(String childLevel) {
        ConcurrentHashMap<String, N> map = children;
        return map == null ? null : map.get(childLevel);
    }

    /** A weakly consistent view of the children; lock-free. */
    final Collection<N> children() {
        ConcurrentHashMap<String, N> map = children;
        return map == null ? List.of() : map.values();
    }

    /** Whether this node was pruned; call while holding its lock. */
    final boolean isRemoved() {
        return removed;
    }

    /**
     * Walks from {@code root} to the node for {@code levels}, creating missing nodes. Returns
     * {@code null} when the walk met a node pruned meanwhile; the caller walks again. The caller must
     * still lock the returned node and check {@link #isRemoved()} before changing it.
     */
    static <N extends LevelNode<N>> N pathForWrite(N root, String[] levels) {
        N node = root;
        for (String nextLevel : levels) {
            LevelNode<N> current = node;
            N next = current.child(nextLevel);
            if (next == null) {
                next = current.addChild(nextLevel);
                if (next == null) {
                    return null;
                }
            }
            node = next;
        }
        return node;
    }

    /** Walks from {@code root} to the node for {@code levels} without creating any; {@code null} if absent. */
    static <N extends LevelNode<N>> N path(N root, String[] levels) {
        N node = root;
        for (int i = 0; i < levels.length && node != null; i++) {
            node = node.child(levels[i]);
        }
        return node;
    }

    /**
     * Unlinks {@code node} and then each ancestor while it holds nothing and has no children. Call
     * without holding any node lock, after a change that may have emptied {@code node}.
     */
    static <N extends LevelNode<N>> void prune(N node) {
        LevelNode<N> current = node;
        while (current.parent != null) {
            LevelNode<N> parentNode = current.parent;
            synchronized (parentNode) {
                synchronized (current) {
                    if (current.removed || !current.holdsNothing() || current.hasChildren()) {
                        return;
                    }
                    current.removed = true;
                    parentNode.children.remove(current.level, current);
                }
            }
            current = parentNode;
        }
    }

    /** Splits a topic name or filter into its levels; empty levels are levels ("a//b" has three). */
    static String[] levels(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        for (int i = 0; i < count - 1; i++) {
            int slash = topic.indexOf('/', start);
            levels[i] = topic.substring(start, slash);
            start = slash + 1;
        }
        levels[count - 1] = topic.substring(start);
        return levels;
    }

    private N addChild(String childLevel) {
        synchronized (this) {
            if (removed) {
                return null;
            }
            ConcurrentHashMap<String, N> map = children;
            if (map == null) {
                map = new ConcurrentHashMap<>(4);
                children = map;
            }
            return map.computeIfAbsent(childLevel, this::newChild);
        }
    }

    private boolean hasChildren() {
        ConcurrentHashMap<String, N> map = children;
        return map != null && !map.isEmpty();
    }
}
