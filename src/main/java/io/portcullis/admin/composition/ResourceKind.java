package io.portcullis.admin.composition;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of registry resources, each named by its collection: the path segment of the admin API and
 * the section of the configuration file, which are the same words.
 */
public enum ResourceKind {
    CA_CERTIFICATES("caCertificates", "CA certificate"),
    CLIENTS("clients", "client"),
    CLIENT_GROUPS("clientGroups", "client group"),
    TOPIC_SPACES("topicSpaces", "topic space"),
    PERMISSION_BINDINGS("permissionBindings", "permission binding");

    private final String collection;
    private final String noun;

    ResourceKind(String collection, String noun) {
        this.collection = collection;
        this.noun = noun;
    }

    /** One resource of the kind in a sentence, for example {@code client group}. */
    public String noun() {
        return noun;
    }

    /** For example {@code clientGroups}. */
    public String collection() {
        return collection;
    }

    public static Optional<ResourceKind> ofCollection(String collection) {
        return Arrays.stream(values()).filter(kind -> kind.collection.equals(collection)).findFirst();
    }
}
