package io.portcullis.admin.composition;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of registry resources, each named by its collection: the path segment of the admin API and
 * the section of the configuration file, which are the same words.
 */
public enum ResourceKind {
    CA_CERTIFICATES("caCertificates"),
    CLIENTS("clients"),
    CLIENT_GROUPS("clientGroups"),
    TOPIC_SPACES("topicSpaces"),
    PERMISSION_BINDINGS("permissionBindings");

    private final String collection;

    ResourceKind(String collection) {
        this.collection = collection;
    }

    /** For example {@code clientGroups}. */
    public String collection() {
        return collection;
    }

    public static Optional<ResourceKind> ofCollection(String collection) {
        return Arrays.stream(values()).filter(kind -> kind.collection.equals(collection)).findFirst();
    }
}
