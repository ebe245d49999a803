package io.portcullis.admin.composition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A registry resource made through the admin API, as kept in the store: its configuration-file entry
 * (normalized: defaults written out, as {@link io.portcullis.config.RegistryEntries} renders it) and its
 * entity tag. Stored as JSON under the key {@code <collection>/<name>}. The entry is copied in and must
 * not be modified; immutable otherwise.
 */
public record StoredResource(ResourceKind kind, String name, ObjectNode entry, String etag) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;

    public StoredResource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(etag, "etag");
        entry = entry.deepCopy();
    }

    /** A resource with the entity tag its entry earns. */
    public static StoredResource of(ResourceKind kind, ObjectNode entry) {
        return new StoredResource(kind, entry.path("name").asText(), entry, etagOf(entry));
    }

    /**
     * A strong entity tag of an entry's content: 16 hex digits of its SHA-256, quoted. Equal content
     * gives an equal tag, whether the resource is file-declared or API-made.
     */
    public static String etagOf(JsonNode entry) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(entry.toString().getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The store key, for example {@code clients/pump-7}. */
    public String key() {
        return kind.collection() + "/" + name;
    }

    public byte[] encode() {
        ObjectNode record = JSON.createObjectNode().put("format", FORMAT).put("kind", kind.collection())
                .put("name", name).put("etag", etag);
        record.set("entry", entry);
        return record.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a record back.
     *
     * @throws IllegalArgumentException when the bytes are not a record this broker wrote
     */
    public static StoredResource decode(String key, byte[] bytes) {
        JsonNode record;
        try {
            record = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("registry record " + key + " is not JSON: " + e.getMessage());
        }
        if (record == null || record.path("format").asInt() != FORMAT || !record.path("entry").isObject()) {
            throw new IllegalArgumentException("registry record " + key + " is not in format " + FORMAT);
        }
        ResourceKind kind = ResourceKind.ofCollection(record.path("kind").asText())
                .orElseThrow(() -> new IllegalArgumentException("registry record " + key + " has an unknown kind"));
        return new StoredResource(kind, record.path("name").asText(), (ObjectNode) record.get("entry"),
                record.path("etag").asText());
    }
}
