package io.portcullis.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A registered client identity (SPEC 3.1). {@code allowedThumbprints} are upper-case hex SHA-256
 * digests of DER certificates, present only with {@link ValidationScheme#ThumbprintMatch}.
 * Field rules are checked where the registry is loaded; this record only keeps values intact.
 */
public record Client(String name, String authenticationName, ValidationScheme validationScheme,
                     List<String> allowedThumbprints, ClientState state, Map<String, AttributeValue> attributes,
                     String description) {
    public Client {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authenticationName, "authenticationName");
        Objects.requireNonNull(validationScheme, "validationScheme");
        Objects.requireNonNull(state, "state");
        allowedThumbprints = List.copyOf(allowedThumbprints);
        attributes = Map.copyOf(attributes);
        description = description == null ? "" : description;
    }

    public boolean isEnabled() {
        return state == ClientState.Enabled;
    }
}
