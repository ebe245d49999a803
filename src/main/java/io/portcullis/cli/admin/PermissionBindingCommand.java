package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.registry.Permission;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis permission-binding create|show|list|update|delete}: who may publish or subscribe where. */
@Command(name = "permission-binding", footer = AdminHelp.EXIT_CODES,
        description = "Manage permission bindings (a client group's right on a topic space) through the admin API.",
        subcommands = {PermissionBindingCommand.Create.class, PermissionBindingCommand.Show.class,
                PermissionBindingCommand.Listing.class, PermissionBindingCommand.Update.class,
                PermissionBindingCommand.Delete.class})
public final class PermissionBindingCommand {

    @Mixin
    HelpOption help;

    static final class Fields {
        @Option(names = "--client-group", paramLabel = "GROUP", order = 1,
                description = "The client group granted the right ($all for every client).")
        String clientGroup;

        @Option(names = "--topic-space", paramLabel = "SPACE", order = 2, description = "The topic space.")
        String topicSpace;

        @Option(names = "--permission", paramLabel = "PERMISSION", order = 3,
                description = "${COMPLETION-CANDIDATES}.")
        Permission permission;

        @Option(names = "--description", paramLabel = "TEXT", order = 4, description = "Free text.")
        String description;

        ObjectNode properties() {
            ObjectNode properties = Json.MAPPER.createObjectNode();
            if (clientGroup != null) {
                properties.put("clientGroupName", clientGroup);
            }
            if (topicSpace != null) {
                properties.put("topicSpaceName", topicSpace);
            }
            if (permission != null) {
                properties.put("permission", permission.name());
            }
            if (description != null) {
                properties.put("description", description);
            }
            return properties;
        }
    }

    @Command(name = "create", description = "Create a permission binding (fails with exit code 7 if the name exists).")
    static final class Create extends RegistryVerbs.Create {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.PERMISSION_BINDINGS;
        }

        @Override
        ObjectNode properties() throws AdminCommandException {
            if (fields.clientGroup == null || fields.topicSpace == null || fields.permission == null) {
                throw usage("A permission binding needs --client-group GROUP, --topic-space SPACE and"
                        + " --permission Publisher|Subscriber");
            }
            return fields.properties();
        }
    }

    @Command(name = "show", description = "Show one permission binding.")
    static final class Show extends RegistryVerbs.Show {
        @Override
        ResourceView view() {
            return ResourceView.PERMISSION_BINDINGS;
        }
    }

    @Command(name = "list",
            description = "List permission bindings: NAME, CLIENT GROUP, TOPIC SPACE, PERMISSION, ORIGIN.")
    static final class Listing extends RegistryVerbs.Listing {
        @Override
        ResourceView view() {
            return ResourceView.PERMISSION_BINDINGS;
        }
    }

    @Command(name = "update", description = "Change only the given fields of a permission binding.")
    static final class Update extends RegistryVerbs.Update {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.PERMISSION_BINDINGS;
        }

        @Override
        ObjectNode patch() {
            return fields.properties();
        }
    }

    @Command(name = "delete", description = "Delete a permission binding made through the API.")
    static final class Delete extends RegistryVerbs.Delete {
        @Override
        ResourceView view() {
            return ResourceView.PERMISSION_BINDINGS;
        }
    }
}
