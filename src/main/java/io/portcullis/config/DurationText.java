package io.portcullis.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of the configuration file: a whole number followed by one unit, {@code ms},
 * {@code s}, {@code m}, {@code h} or {@code d} (for example {@code 500ms}, {@code 10s}, {@code 8h}).
 * Stateless and thread-safe.
 */
public final class DurationText {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private DurationText() {
    }

    /** The duration the text denotes, or empty when it is not in the syntax above. */
    public static Optional<Duration> parse(String text) {
        Matcher matcher = SYNTAX.matcher(text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        });
    }

    /** The shortest text {@link #parse} reads back as the same duration, using the largest exact unit. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % Duration.ofDays(1).toMillis() == 0) {
            return duration.toDays() + "d";
        }
        if (millis != 0 && millis % Duration.ofHours(1).toMillis() == 0) {
            return duration.toHours() + "h";
        }
        if (millis != 0 && millis % Duration.ofMinutes(1).toMillis() == 0) {
            return duration.toMinutes() + "m";
        }
        if (millis % 1000 == 0) {
            return duration.toSeconds() + "s";
        }
        return millis + "ms";
    }
}
