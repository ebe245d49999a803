package io.portcullis.routing;

/**
 * Where {@link RetainedStore} reports its changes so a durable store can keep them. Called under the
 * topic's node lock, so changes to one topic reach the journal in the order they were made; an
 * implementation must therefore return at once and never block.
 */
public interface RetainedJournal {

    /** Keeps nothing: retained messages live in memory only. */
    RetainedJournal NONE = new RetainedJournal() {
        @Override
        public void retained(Message message) {
        }

        @Override
        public void removed(String topic) {
        }
    };

    /** {@code message} is now its topic's retained message. */
    void retained(Message message);

    /** The topic no longer has a retained message (deleted by an empty payload, or expired). */
    void removed(String topic);
}
