package io.portcullis.registry;

import java.util.Objects;

/** Grants one client group one permission on one topic space (SPEC 3.4). */
public record PermissionBinding(String name, String clientGroupName, String topicSpaceName, Permission permission,
                                String description) {
    public PermissionBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientGroupName, "clientGroupName");
        Objects.requireNonNull(topicSpaceName, "topicSpaceName");
        Objects.requireNonNull(permission, "permission");
        description = description == null ? "" : description;
    }
}
