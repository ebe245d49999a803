package io.portcullis.routing;

import java.util.List;
import java.util.Objects;

/**
 * One subscriber's subscription as a tree node holds it. Immutable, so route can read it without a
 * lock; {@code identifiers} is built once here so a delivery from a single subscription allocates
 * nothing.
 */
record Subscription(Subscriber subscriber, SubscriptionOptions options, List<Integer> identifiers) {

    Subscription {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(options, "options");
        identifiers = List.copyOf(identifiers);
    }

    static Subscription of(Subscriber subscriber, SubscriptionOptions options) {
        int identifier = options.subscriptionIdentifier();
        return new Subscription(subscriber, options, identifier == 0 ? List.of() : List.of(identifier));
    }

    /** Whether No Local keeps this message from this subscription [MQTT-3.8.3-3]. */
    boolean excludesAsLocal(Message message) {
        return options.noLocal() && subscriber.clientId().equals(message.publisherClientId());
    }

    /** The RETAIN flag to deliver with: as published only with Retain As Published [MQTT-3.3.1-12, -13]. */
    boolean retainFlag(Message message) {
        return message.retain() && options.retainAsPublished();
    }
}
