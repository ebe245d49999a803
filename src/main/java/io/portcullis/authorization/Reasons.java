package io.portcullis.authorization;

/** Wording shared by denial reasons and explanations, so both say the same thing. */
final class Reasons {
    static final String RESERVED = "topics starting with '$' are reserved for the broker";
    static final String SHARED = "check the filter inside a shared subscription ('$share/<group>/<filter>') "
            + "instead of the whole '$share/' filter";
    private static final int SHOWN_CHARACTERS = 100;

    private Reasons() {
    }

    /** Quotes a client-supplied value, cutting it short so a reason string stays small. */
    static String quote(String value) {
        if (value.length() <= SHOWN_CHARACTERS) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, SHOWN_CHARACTERS) + "…' (" + value.length() + " characters)";
    }

    static String templateOf(GrantIndex.TemplateUse use) {
        return "template " + quote(use.template()) + " of topic space '" + use.topicSpaceName() + "' (binding '"
                + use.bindingName() + "')";
    }

    static String templateOf(AccessDecision grant) {
        return "template " + quote(grant.template()) + " of topic space '" + grant.topicSpaceName() + "' (binding '"
                + grant.bindingName() + "')";
    }
}
