package io.portcullis.authorization;

/**
 * One client's resolved rights under one registry snapshot. Immutable and thread-safe; built once per
 * session and per registry change, consulted on every PUBLISH and SUBSCRIBE.
 */
public interface ClientPermissions {

    /** May the client publish to this topic name? Topics starting with {@code $} are always denied. */
    AccessDecision checkPublish(String topic);

    /**
     * May the client subscribe to this topic filter? For {@code $share/<group>/<filter>} pass the
     * inner filter. Allowed only when one granted template covers every topic the filter can match.
     */
    AccessDecision checkSubscribe(String topicFilter);

    /** Whether the client holds any right at all; a client that has none is disconnected. */
    boolean hasAnyPermission();
}
