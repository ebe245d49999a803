package io.portcullis.authorization;

/** The rights of a disabled client: none (SPEC 2.4). Immutable and thread-safe. */
final class DisabledPermissions implements ClientPermissions {
    static final DisabledPermissions INSTANCE = new DisabledPermissions();
    private static final AccessDecision DENY = AccessDecision.deny("the client is disabled");

    private DisabledPermissions() {
    }

    @Override
    public AccessDecision checkPublish(String topic) {
        return DENY;
    }

    @Override
    public AccessDecision checkSubscribe(String topicFilter) {
        return DENY;
    }

    @Override
    public boolean hasAnyPermission() {
        return false;
    }
}
