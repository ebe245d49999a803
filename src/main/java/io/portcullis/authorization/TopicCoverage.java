package io.portcullis.authorization;

/**
 * Whether one MQTT topic filter covers or overlaps another (SPEC 3.5). Pure and thread-safe. Both
 * arguments must be valid topic filters (see {@link io.portcullis.topic.Topics#validateFilter}).
 *
 * <p>The rule for {@code $}: a topic starting with {@code $} is matched only by a filter whose
 * first level is not a wildcard [MQTT-4.7.2-1], so a template starting with a wildcard covers no
 * request starting with {@code $}. That the broker grants no {@code $} topic at all is the
 * evaluator's rule, not this class's.
 */
public final class TopicCoverage {

    private TopicCoverage() {
    }

    /**
     * True when every topic that {@code requestedFilter} can match is matched by {@code templateFilter}:
     * a request {@code +} is covered only by {@code +} or {@code #}, a request {@code #} only by
     * {@code #} (and, as the whole request, by the equivalent {@code +/#}), and a literal level (empty
     * ones included) by the same literal, {@code +} or {@code #}.
     */
    public static boolean covers(String templateFilter, String requestedFilter) {
        String[] template = levels(templateFilter);
        String[] request = levels(requestedFilter);
        if (isDollar(requestedFilter) && isWildcard(template[0])) {
            return false;
        }
        for (int i = 0; ; i++) {
            if (i == template.length) {
                return i == request.length;
            }
            String templateLevel = template[i];
            if (templateLevel.equals("#")) {
                // Also when the request ended at the parent level: "a/#" matches "a" [MQTT-4.7.1-2].
                return true;
            }
            if (i == request.length) {
                return false;
            }
            String requestLevel = request[i];
            if (requestLevel.equals("#")) {
                // Every topic has a first level, so at the root "+/#" matches what "#" matches.
                return i == 0 && template.length == 2 && templateLevel.equals("+") && template[1].equals("#");
            }
            if (templateLevel.equals("+")) {
                continue;
            }
            if (requestLevel.equals("+") || !templateLevel.equals(requestLevel)) {
                return false;
            }
        }
    }

    /** True when at least one topic name is matched by both filters. */
    public static boolean overlaps(String first, String second) {
        String[] a = levels(first);
        String[] b = levels(second);
        if ((isDollar(first) && isWildcard(b[0])) || (isDollar(second) && isWildcard(a[0]))) {
            return false;
        }
        for (int i = 0; ; i++) {
            boolean aDone = i == a.length;
            boolean bDone = i == b.length;
            if ((!aDone && a[i].equals("#")) || (!bDone && b[i].equals("#"))) {
                return true;
            }
            if (aDone || bDone) {
                return aDone && bDone;
            }
            if (!(a[i].equals("+") || b[i].equals("+") || a[i].equals(b[i]))) {
                return false;
            }
        }
    }

    /** Splits a topic or filter at each {@code /}, keeping empty levels (so "a/" has two levels). */
    static String[] levels(String topic) {
        int count = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                count++;
            }
        }
        String[] levels = new String[count];
        int start = 0;
        for (int n = 0; n < count - 1; n++) {
            int slash = topic.indexOf('/', start);
            levels[n] = topic.substring(start, slash);
            start = slash + 1;
        }
        levels[count - 1] = topic.substring(start);
        return levels;
    }

    private static boolean isDollar(String filter) {
        return !filter.isEmpty() && filter.charAt(0) == '$';
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
