package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code portcullis topic-space create|show|list|update|delete}: topic spaces and their templates. */
@Command(name = "topic-space", footer = AdminHelp.EXIT_CODES,
        description = "Manage topic spaces (sets of topic templates) through the admin API.",
        subcommands = {TopicSpaceCommand.Create.class, TopicSpaceCommand.Show.class, TopicSpaceCommand.Listing.class,
                TopicSpaceCommand.Update.class, TopicSpaceCommand.Delete.class})
public final class TopicSpaceCommand {

    @Mixin
    HelpOption help;

    static final class Fields {
        @Option(names = "--template", paramLabel = "TEMPLATE", order = 1,
                // $${ is picocli's escape: a bare ${...} in a description is a variable and prints as null.
                description = "Topic template, e.g. 'plant/$${client.attributes.line}/#' (repeatable; on update the"
                        + " given templates replace the list).")
        List<String> templates = new ArrayList<>();

        @Option(names = "--description", paramLabel = "TEXT", order = 2, description = "Free text.")
        String description;

        ObjectNode properties() {
            ObjectNode properties = Json.MAPPER.createObjectNode();
            if (!templates.isEmpty()) {
                templates.forEach(properties.putArray("topicTemplates")::add);
            }
            if (description != null) {
                properties.put("description", description);
            }
            return properties;
        }
    }

    @Command(name = "create", description = {"Create a topic space (fails with exit code 7 if the name exists).",
            "Quote templates in single quotes so the shell leaves $${...} alone."})
    static final class Create extends RegistryVerbs.Create {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.TOPIC_SPACES;
        }

        @Override
        ObjectNode properties() throws AdminCommandException {
            if (fields.templates.isEmpty()) {
                throw usage("Missing --template TEMPLATE: a topic space needs at least one topic template");
            }
            return fields.properties();
        }
    }

    @Command(name = "show", description = "Show one topic space.")
    static final class Show extends RegistryVerbs.Show {
        @Override
        ResourceView view() {
            return ResourceView.TOPIC_SPACES;
        }
    }

    @Command(name = "list", description = "List topic spaces: NAME, TEMPLATES, ORIGIN.")
    static final class Listing extends RegistryVerbs.Listing {
        @Override
        ResourceView view() {
            return ResourceView.TOPIC_SPACES;
        }
    }

    @Command(name = "update", description = "Change only the given fields of a topic space.")
    static final class Update extends RegistryVerbs.Update {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.TOPIC_SPACES;
        }

        @Override
        ObjectNode patch() {
            return fields.properties();
        }
    }

    @Command(name = "delete", description = "Delete a topic space made through the API (not while a binding uses it).")
    static final class Delete extends RegistryVerbs.Delete {
        @Override
        ResourceView view() {
            return ResourceView.TOPIC_SPACES;
        }
    }
}
