package io.portcullis.registry;

import java.util.List;
import java.util.Objects;

/** A client attribute value: a string, an integer, or an array of strings (SPEC 3.1). */
public sealed interface AttributeValue {

    record Text(String value) implements AttributeValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    record Integer(long value) implements AttributeValue {
    }

    record TextArray(List<String> values) implements AttributeValue {
        public TextArray {
            values = List.copyOf(values);
        }
    }
}
