package io.portcullis.admin.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewords the configuration loader's problems and fixes for an admin API caller. The loader's rules apply to
 * API bodies as they are (one check for both), but its fixes speak of the YAML file: "write a YAML list",
 * "quote it", keys allowed "here" including {@code name}, which in the API is the path, not a property. A
 * text with none of those phrases is returned as it is. Pure.
 */
final class ApiWording {
    private static final Pattern ALLOWED_KEYS = Pattern.compile("keys allowed here: ([A-Za-z0-9_, ]+)");
    /** File wording, and what an API caller should read instead; the first match of each is replaced. */
    private static final List<String[]> PHRASES = List.of(
            new String[]{"write a YAML list: [a, b] or one '- item' line per entry", "send a JSON array"},
            new String[]{"write attributes as 'name: value' lines, for example 'type: sensor'",
                    "send attributes as a JSON object, for example {\"type\": \"sensor\"}"},
            new String[]{"quote a value such as 'true' or '1.5' to store it as text",
                    "send a value such as true or 1.5 as a JSON string to store it as text"},
            new String[]{"write a single text value, quoted if it could be read as something else",
                    "send a JSON string"},
            new String[]{"without quotes or units", "as a JSON number without units"});
    private static final Pattern QUOTE_IT = Pattern.compile("quote it, for example '[^']*'");
    private static final Pattern KEY_VALUE_LINES =
            Pattern.compile("write it as 'key: value' lines indented under \\S+");

    private ApiWording() {
    }

    static String of(String text) {
        String worded = text;
        for (String[] phrase : PHRASES) {
            worded = worded.replace(phrase[0], phrase[1]);
        }
        worded = QUOTE_IT.matcher(worded).replaceAll("send it as a JSON string");
        worded = KEY_VALUE_LINES.matcher(worded).replaceAll("send a JSON object");
        Matcher allowed = ALLOWED_KEYS.matcher(worded);
        if (allowed.find()) {
            List<String> keys = new ArrayList<>();
            for (String key : allowed.group(1).split(",")) {
                if (!key.trim().equals("name") && !key.isBlank()) {
                    keys.add(key.trim());
                }
            }
            worded = worded.substring(0, allowed.start()) + "properties allowed: " + String.join(", ", keys)
                    + worded.substring(allowed.end());
        }
        return worded;
    }
}
