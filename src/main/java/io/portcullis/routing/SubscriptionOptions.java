package io.portcullis.routing;

/**
 * The options a subscription was made with (MQTT 5.0 section 3.8.3.1); MQTT 3.1.1 subscriptions use
 * only {@code qos}. {@code subscriptionIdentifier} is 0 when none was given.
 */
public record SubscriptionOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling,
                                  int subscriptionIdentifier) {

    public SubscriptionOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2");
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling must be 0, 1 or 2");
        }
    }

    public static SubscriptionOptions ofQos(int qos) {
        return new SubscriptionOptions(qos, false, false, 0, 0);
    }
}
