package io.portcullis.protocol.codec;

import java.util.Objects;

/** One MQTT 5 User Property name/value pair; order and duplicates are significant. */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
