package io.portcullis.cli.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.cli.ExitCodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a connection profile ({@code --profile FILE}): a YAML or JSON object with the keys
 * {@code url}, {@code cert}, {@code key} and {@code ca}. Relative paths are resolved against the
 * profile's directory, so a profile can sit next to its certificate files. Stateless.
 */
final class ProfileFile {
    private static final Set<String> KEYS = Set.of("url", "cert", "key", "ca");

    private ProfileFile() {
    }

    static ConnectionSettings read(Path file) throws AdminCommandException {
        Path absolute = file.toAbsolutePath().normalize();
        JsonNode root;
        try {
            String text = Files.readString(absolute);
            ObjectMapper mapper = absolute.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? new JsonMapper() : new YAMLMapper();
            root = mapper.readTree(text);
        } catch (NoSuchFileException e) {
            throw usage("--profile " + file + ": the file does not exist; write one with url, cert, key and ca"
                    + " (see 'portcullis client --help')");
        } catch (JacksonException e) {
            throw usage("--profile " + file + ": not valid YAML or JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw usage("--profile " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw usage("--profile " + file + ": expected an object with the keys url, cert, key and ca");
        }
        Path directory = absolute.getParent();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!KEYS.contains(field.getKey())) {
                throw usage("--profile " + file + ": unknown key '" + field.getKey()
                        + "'; a profile holds only url, cert, key and ca");
            }
            if (!field.getValue().isTextual() || field.getValue().asText().isBlank()) {
                throw usage("--profile " + file + ": '" + field.getKey() + "' must be a non-empty string");
            }
        }
        return new ConnectionSettings(text(root, "url"), path(directory, root, "cert"),
                path(directory, root, "key"), path(directory, root, "ca"));
    }

    private static String text(JsonNode root, String key) {
        JsonNode value = root.get(key);
        return value == null ? null : value.asText();
    }

    private static Path path(Path directory, JsonNode root, String key) {
        String value = text(root, key);
        return value == null ? null : directory.resolve(value).normalize();
    }

    private static AdminCommandException usage(String message) {
        return new AdminCommandException(ExitCodes.USAGE, message);
    }
}
