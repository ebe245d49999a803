package io.portcullis.routing;

import java.util.List;

/**
 * Where the routing layer hands matched messages: a session. Implementations hand the work to the
 * thread that owns the session and never block the caller.
 */
public interface Subscriber {

    /** The session name (MQTT ClientId). */
    String clientId();

    /** Whether a connection currently holds the session; shared subscriptions prefer connected members. */
    boolean isConnected();

    /**
     * Delivers one matched message. Called on the publisher's thread, once per subscriber per message
     * however many of its subscriptions matched.
     *
     * @param message                 the routed message, shared
     * @param maximumQos              the highest QoS among the matching subscriptions; the delivery QoS
     *                                is {@code min(message.qos(), maximumQos)}
     * @param retainFlag              the RETAIN flag to send: the published flag where a matching
     *                                subscription has Retain As Published, else false [MQTT-3.3.1-12]
     * @param subscriptionIdentifiers identifiers of all matching subscriptions that have one, ascending
     */
    void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> subscriptionIdentifiers);
}
