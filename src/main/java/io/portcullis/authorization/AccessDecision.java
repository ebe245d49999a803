package io.portcullis.authorization;

/**
 * The answer to "may this client publish to T / subscribe to F". On an allow, the binding, topic
 * space and template that granted it; on a deny, {@code reason} says why no binding did.
 */
public record AccessDecision(boolean allowed, String bindingName, String topicSpaceName, String template,
                             String reason) {

    public static AccessDecision allow(String bindingName, String topicSpaceName, String template) {
        return new AccessDecision(true, bindingName, topicSpaceName, template, null);
    }

    public static AccessDecision deny(String reason) {
        return new AccessDecision(false, null, null, null, reason);
    }
}
