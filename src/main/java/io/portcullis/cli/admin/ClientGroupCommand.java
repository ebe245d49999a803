package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code portcullis client-group create|show|list|update|delete}: client groups selected by a query. */
@Command(name = "client-group", footer = AdminHelp.EXIT_CODES,
        description = "Manage client groups (clients selected by a query) through the admin API.",
        subcommands = {ClientGroupCommand.Create.class, ClientGroupCommand.Show.class,
                ClientGroupCommand.Listing.class, ClientGroupCommand.Update.class, ClientGroupCommand.Delete.class})
public final class ClientGroupCommand {

    @Mixin
    HelpOption help;

    static final class Fields {
        @Option(names = "--query", paramLabel = "QUERY", order = 1,
                description = "Which clients belong, e.g. \"attributes.type = 'pump'\".")
        String query;

        @Option(names = "--description", paramLabel = "TEXT", order = 2, description = "Free text.")
        String description;

        ObjectNode properties() {
            ObjectNode properties = Json.MAPPER.createObjectNode();
            if (query != null) {
                properties.put("query", query);
            }
            if (description != null) {
                properties.put("description", description);
            }
            return properties;
        }
    }

    @Command(name = "create", description = "Create a client group (fails with exit code 7 if the name exists).")
    static final class Create extends RegistryVerbs.Create {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.CLIENT_GROUPS;
        }

        @Override
        ObjectNode properties() throws AdminCommandException {
            if (fields.query == null) {
                throw usage("Missing --query QUERY: a client group needs a query, e.g. \"attributes.type = 'pump'\"");
            }
            return fields.properties();
        }
    }

    @Command(name = "show", description = "Show one client group.")
    static final class Show extends RegistryVerbs.Show {
        @Override
        ResourceView view() {
            return ResourceView.CLIENT_GROUPS;
        }
    }

    @Command(name = "list", description = "List client groups: NAME, QUERY, ORIGIN.")
    static final class Listing extends RegistryVerbs.Listing {
        @Override
        ResourceView view() {
            return ResourceView.CLIENT_GROUPS;
        }
    }

    @Command(name = "update", description = "Change only the given fields of a client group.")
    static final class Update extends RegistryVerbs.Update {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.CLIENT_GROUPS;
        }

        @Override
        ObjectNode patch() {
            return fields.properties();
        }
    }

    @Command(name = "delete", description = "Delete a client group made through the API (not while a binding uses it).")
    static final class Delete extends RegistryVerbs.Delete {
        @Override
        ResourceView view() {
            return ResourceView.CLIENT_GROUPS;
        }
    }
}
