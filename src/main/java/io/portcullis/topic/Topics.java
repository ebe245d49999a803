package io.portcullis.topic;

/**
 * MQTT topic name and topic filter rules (MQTT 5.0 section 4.7, MQTT 3.1.1 section 4.7): validation,
 * matching a name against a filter, and shared-subscription parsing. Pure and thread-safe; used by
 * routing and authorization alike.
 */
public final class Topics {
    public static final String SHARE_PREFIX = "$share/";

    private Topics() {
    }

    /**
     * Checks a PUBLISH topic name. Returns {@code null} when valid, else what is wrong.
     * Wildcards are not allowed in names [MQTT-3.3.2-2]; the empty name is not a topic [MQTT-4.7.3-1].
     */
    public static String validateName(String topic, int maximumLength, int maximumLevels) {
        if (topic.isEmpty()) {
            return "topic name is empty";
        }
        if (utf8Length(topic) > maximumLength) {
            return "topic name is longer than " + maximumLength + " bytes";
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return "topic name contains the wildcard '" + c + "'";
            }
            if (c == '\u0000') {
                return "topic name contains U+0000";
            }
            if (c == '/') {
                levels++;
            }
        }
        if (levels > maximumLevels) {
            return "topic name has more than " + maximumLevels + " levels";
        }
        return null;
    }

    /**
     * Checks a topic filter (after any {@code $share/<group>/} prefix was removed). Returns {@code null}
     * when valid: {@code +} fills a whole level, {@code #} is a whole last level [MQTT-4.7.1-1..3].
     */
    public static String validateFilter(String filter, int maximumLength, int maximumLevels) {
        if (filter.isEmpty()) {
            return "topic filter is empty";
        }
        if (utf8Length(filter) > maximumLength) {
            return "topic filter is longer than " + maximumLength + " bytes";
        }
        int levels = 1;
        int length = filter.length();
        for (int i = 0; i < length; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            boolean levelEnd = i == length - 1 || filter.charAt(i + 1) == '/';
            if (c == '+' && !(levelStart && levelEnd)) {
                return "'+' must occupy a whole level of the topic filter";
            }
            if (c == '#' && !(levelStart && i == length - 1)) {
                return "'#' must be the whole last level of the topic filter";
            }
            if (c == '\u0000') {
                return "topic filter contains U+0000";
            }
            if (c == '/') {
                levels++;
            }
        }
        if (levels > maximumLevels) {
            return "topic filter has more than " + maximumLevels + " levels";
        }
        return null;
    }

    /**
     * Whether a topic name matches a topic filter. Names starting with {@code $} are not matched by a
     * filter whose first level is a wildcard [MQTT-4.7.2-1]. Both arguments must be valid.
     */
    public static boolean matches(String filter, String topic) {
        if (!topic.isEmpty() && topic.charAt(0) == '$' && !filter.isEmpty()
                && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        // f and t are the starts of the current levels; a level ends at the next '/' or the end.
        int f = 0;
        int t = 0;
        int filterLength = filter.length();
        int topicLength = topic.length();
        while (true) {
            int filterLevelEnd = levelEnd(filter, f);
            int filterLevelLength = filterLevelEnd - f;
            if (filterLevelLength == 1 && filter.charAt(f) == '#') {
                return true;
            }
            int topicLevelEnd = levelEnd(topic, t);
            boolean plus = filterLevelLength == 1 && filter.charAt(f) == '+';
            if (!plus && (filterLevelLength != topicLevelEnd - t
                    || !filter.regionMatches(f, topic, t, filterLevelLength))) {
                return false;
            }
            boolean filterDone = filterLevelEnd == filterLength;
            boolean topicDone = topicLevelEnd == topicLength;
            if (filterDone) {
                return topicDone;
            }
            f = filterLevelEnd + 1;
            if (topicDone) {
                // "a/#" also matches "a": '#' includes the parent level [MQTT-4.7.1-2].
                return filterLength - f == 1 && filter.charAt(f) == '#';
            }
            t = topicLevelEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    /** Whether a filter names a shared subscription ({@code $share/<group>/<filter>}). */
    public static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX);
    }

    /**
     * Splits {@code $share/<group>/<filter>}. Returns {@code null} when the share name is empty or
     * contains a wildcard, or no filter follows [MQTT-4.8.2-1, MQTT-4.8.2-2].
     */
    public static SharedFilter parseShared(String filter) {
        int groupStart = SHARE_PREFIX.length();
        int slash = filter.indexOf('/', groupStart);
        if (slash <= groupStart || slash == filter.length() - 1) {
            return null;
        }
        String group = filter.substring(groupStart, slash);
        if (group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            return null;
        }
        return new SharedFilter(group, filter.substring(slash + 1));
    }

    /** Whether a filter contains {@code +} or {@code #}. */
    public static boolean hasWildcard(String filter) {
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /** Number of bytes the string takes in UTF-8, without encoding it. */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The parts of a shared subscription filter. */
    public record SharedFilter(String shareName, String filter) {
    }
}
