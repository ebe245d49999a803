package io.portcullis.registry;

import java.util.List;
import java.util.Objects;

/** A named set of topic templates (SPEC 3.3). */
public record TopicSpace(String name, List<String> topicTemplates, String description) {
    public TopicSpace {
        Objects.requireNonNull(name, "name");
        topicTemplates = List.copyOf(topicTemplates);
        description = description == null ? "" : description;
    }
}
