package io.portcullis.session;

import java.util.function.IntSupplier;

/**
 * A publishing connection that a slow subscriber's session can slow down by making it stop reading
 * its socket. {@link #pause} is called on the publisher's own event loop (routing runs there);
 * {@link #resume} from any thread, and the implementation hands it to its loop. A publisher stays
 * paused while at least one session holds it paused.
 */
public interface PublisherThrottle {

    /** Stop reading the socket until every {@code source} that paused it has resumed it. */
    void pause(Object source);

    void resume(Object source);

    /**
     * Runs {@code route} with {@code throttle} as the publisher that sessions fed during the call may
     * pause. Routing calls {@link io.portcullis.routing.Subscriber#deliver} synchronously on the
     * publisher's thread, which is why a thread-local finds the publisher without a lookup.
     */
    static int routeAs(PublisherThrottle throttle, IntSupplier route) {
        PublisherThrottle previous = Current.PUBLISHER.get();
        Current.PUBLISHER.set(throttle);
        try {
            return route.getAsInt();
        } finally {
            Current.PUBLISHER.set(previous);
        }
    }

    /** The publisher whose message is being routed on this thread, or {@code null}. */
    static PublisherThrottle current() {
        return Current.PUBLISHER.get();
    }

    /** Holder of the thread-local; interfaces cannot have private fields. */
    final class Current {
        private static final ThreadLocal<PublisherThrottle> PUBLISHER = new ThreadLocal<>();

        private Current() {
        }
    }
}
