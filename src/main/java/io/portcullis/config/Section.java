package io.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A cursor over one mapping of the YAML tree that knows its key path, reads typed values, records a
 * problem (instead of failing) for each missing or wrongly typed value, and at the end reports every
 * key it was never asked for as unknown. Single-threaded, used only while loading.
 */
final class Section {
    private final ObjectNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private Section(ObjectNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** A section over {@code node}; a node that is not a mapping is a problem and reads as empty. */
    static Section of(JsonNode node, String path, Problems problems) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Section(JsonNodeFactory.instance.objectNode(), path, problems);
        }
        if (!node.isObject()) {
            problems.add(path, "expected a mapping of keys to values, found " + describe(node),
                    "write it as 'key: value' lines indented under " + path);
            return new Section(JsonNodeFactory.instance.objectNode(), path, problems);
        }
        return new Section((ObjectNode) node, path, problems);
    }

    String path() {
        return path;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    Problems problems() {
        return problems;
    }

    /** The value under {@code name}, or {@code null} when absent or written as null. */
    JsonNode get(String name) {
        known.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    Section section(String name) {
        return of(get(name), key(name), problems);
    }

    /** A scalar as text (numbers are accepted, since a YAML name like {@code 1234} reads as one). */
    String text(String name, String defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.isTextual() || value.isIntegralNumber()) {
            return value.asText();
        }
        problems.add(key(name), "expected text, found " + describe(value), "write a single text value,"
                + " quoted if it could be read as something else");
        return defaultValue;
    }

    /** Required text; a missing value is a problem and gives {@code null}. */
    String requiredText(String name, String fix) {
        String value = text(name, null);
        if (value == null && get(name) == null) {
            problems.add(key(name), "is required", fix);
        }
        return value;
    }

    long number(String name, long minimum, long maximum, long defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problems.add(key(name), "expected a whole number, found " + describe(value),
                    "write a number from " + minimum + " to " + maximum + " without quotes or units");
            return defaultValue;
        }
        long number = value.asLong();
        if (number < minimum || number > maximum) {
            problems.add(key(name), number + " is out of range", "use a value from " + minimum + " to " + maximum);
            return defaultValue;
        }
        return number;
    }

    boolean bool(String name, boolean defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            problems.add(key(name), "expected true or false, found " + describe(value), "write true or false");
            return defaultValue;
        }
        return value.asBoolean();
    }

    Duration duration(String name, Duration minimum, Duration maximum, Duration defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        String range = DurationText.format(minimum) + " to " + DurationText.format(maximum);
        if (!value.isTextual()) {
            problems.add(key(name), "expected a duration with a unit, found " + describe(value),
                    "write a number and a unit (ms, s, m, h, d), for example 10s; allowed " + range);
            return defaultValue;
        }
        Duration duration = DurationText.parse(value.asText()).orElse(null);
        if (duration == null) {
            problems.add(key(name), "'" + value.asText() + "' is not a duration",
                    "write a whole number and a unit (ms, s, m, h, d), for example 500ms, 10s, 5m or 8h");
            return defaultValue;
        }
        if (duration.compareTo(minimum) < 0 || duration.compareTo(maximum) > 0) {
            problems.add(key(name), value.asText() + " is out of range", "use a duration from " + range);
            return defaultValue;
        }
        return duration;
    }

    /** An enum constant spelled as {@code spelling} gives it; unknown spellings list the valid ones. */
    <E extends Enum<E>> E choice(String name, Class<E> type, Function<E, String> spelling, E defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        return choiceOf(value, key(name), type, spelling, problems, defaultValue);
    }

    static <E extends Enum<E>> E choiceOf(JsonNode value, String key, Class<E> type, Function<E, String> spelling,
                                          Problems problems, E defaultValue) {
        List<String> spellings = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            if (value.isTextual() && spelling.apply(constant).equals(value.asText())) {
                return constant;
            }
            spellings.add(spelling.apply(constant));
        }
        problems.add(key, describe(value) + " is not one of the allowed values", "use one of "
                + String.join(", ", spellings) + " (spelled exactly so)");
        return defaultValue;
    }

    /** The items of a sequence; absent gives an empty list, a non-sequence is a problem. */
    List<JsonNode> list(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(key(name), "expected a list, found " + describe(value),
                    "write a YAML list: [a, b] or one '- item' line per entry");
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.elements().forEachRemaining(items::add);
        return items;
    }

    /** Reports every key of this mapping that no reader asked for. */
    void rejectUnknownKeys() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String suggestion = closest(name);
                problems.add(key(name), "unknown key", (suggestion == null ? "remove it"
                        : "did you mean '" + suggestion + "'? Correct it or remove it")
                        + "; keys allowed here: " + String.join(", ", known));
            }
        }
    }

    private String closest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "'" + value.asText() + "'";
        }
        return value.asText();
    }
}
