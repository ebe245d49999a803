package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.ValidationScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code portcullis client create|show|list|update|delete}: registered MQTT clients through the admin API. */
@Command(name = "client", footer = AdminHelp.EXIT_CODES,
        description = "Manage registered clients through the admin API.",
        subcommands = {ClientCommand.Create.class, ClientCommand.Show.class, ClientCommand.Listing.class,
                ClientCommand.Update.class, ClientCommand.Delete.class})
public final class ClientCommand {

    @Mixin
    HelpOption help;

    /** The client fields create and update share; only the given ones are sent. */
    static final class Fields {
        @Option(names = "--authentication-name", paramLabel = "NAME", order = 1,
                description = "Name the certificate must match (default: the client's name; cannot change later).")
        String authenticationName;

        @Option(names = "--validation-scheme", paramLabel = "SCHEME", order = 2,
                description = "How the certificate is checked: ${COMPLETION-CANDIDATES}.")
        ValidationScheme validationScheme;

        @Option(names = "--thumbprint", paramLabel = "SHA256", order = 3,
                description = "Allowed certificate thumbprint for ThumbprintMatch: 64 hex digits, either case,"
                        + " as 'pki thumbprint FILE' prints it (repeatable, at most 2; on update it replaces the"
                        + " list).")
        List<String> thumbprints = new ArrayList<>();

        @Option(names = "--state", paramLabel = "STATE", order = 4,
                description = "${COMPLETION-CANDIDATES}; a disabled client is disconnected at once.")
        ClientState state;

        @Option(names = "--attribute", paramLabel = "KEY=VALUE", order = 5,
                description = "Attribute (repeatable); a whole number such as 0, 42 or -12 becomes an integer"
                        + " (64-bit; a larger one is refused), anything else a string: with a '+' or leading"
                        + " zeros (+5, 007) it stays text as written.")
        List<String> attributes = new ArrayList<>();

        @Option(names = "--attribute-string", paramLabel = "KEY=VALUE", order = 6,
                description = "Attribute that stays a string even when it looks like a number (repeatable).")
        List<String> stringAttributes = new ArrayList<>();

        @Option(names = "--attribute-list", paramLabel = "KEY=A,B", order = 7,
                description = "Attribute holding a list of strings, split on commas (repeatable; KEY= is empty).")
        List<String> listAttributes = new ArrayList<>();

        @Option(names = "--description", paramLabel = "TEXT", order = 8, description = "Free text.")
        String description;

        ObjectNode properties(List<String> removedAttributes) throws AdminCommandException {
            if (thumbprints.size() > 2) {
                throw ApiCommand.usage("--thumbprint is given " + thumbprints.size()
                        + " times; a client allows at most 2 (the current and the next certificate)");
            }
            ObjectNode properties = Json.MAPPER.createObjectNode();
            if (authenticationName != null) {
                properties.put("authenticationName", authenticationName);
            }
            if (validationScheme != null || !thumbprints.isEmpty()) {
                ObjectNode authentication = properties.putObject("clientCertificateAuthentication");
                if (validationScheme != null) {
                    authentication.put("validationScheme", validationScheme.name());
                }
                if (!thumbprints.isEmpty()) {
                    thumbprints.forEach(authentication.putArray("allowedThumbprints")::add);
                }
            }
            if (state != null) {
                properties.put("state", state.name());
            }
            ObjectNode attributeNode = ClientAttributes.build(attributes, stringAttributes, listAttributes,
                    removedAttributes);
            if (!attributeNode.isEmpty()) {
                properties.set("attributes", attributeNode);
            }
            if (description != null) {
                properties.put("description", description);
            }
            return properties;
        }
    }

    @Command(name = "create", description = {"Register a client (fails with exit code 7 if the name exists).",
            "Attributes: --attribute floor=3 is the integer 3, --attribute-string floor=3 the string \"3\","
                    + " --attribute-list roles=a,b the list [\"a\", \"b\"]."})
    static final class Create extends RegistryVerbs.Create {
        @Mixin
        Fields fields;

        @Override
        ResourceView view() {
            return ResourceView.CLIENTS;
        }

        @Override
        ObjectNode properties() throws AdminCommandException {
            return fields.properties(List.of());
        }
    }

    @Command(name = "show", description = "Show one client.")
    static final class Show extends RegistryVerbs.Show {
        @Override
        ResourceView view() {
            return ResourceView.CLIENTS;
        }
    }

    @Command(name = "list", description = "List clients: NAME, AUTHENTICATION NAME, STATE, SCHEME, ORIGIN.")
    static final class Listing extends RegistryVerbs.Listing {
        @Override
        ResourceView view() {
            return ResourceView.CLIENTS;
        }
    }

    @Command(name = "update", description = {"Change only the given fields of a client (a JSON merge patch).",
            "Attributes given are added or replaced; others are kept; --remove-attribute removes one."})
    static final class Update extends RegistryVerbs.Update {
        @Mixin
        Fields fields;

        @Option(names = "--remove-attribute", paramLabel = "KEY", order = 9,
                description = "Remove an attribute (repeatable).")
        List<String> removedAttributes = new ArrayList<>();

        @Override
        ResourceView view() {
            return ResourceView.CLIENTS;
        }

        @Override
        ObjectNode patch() throws AdminCommandException {
            return fields.properties(removedAttributes);
        }
    }

    @Command(name = "delete", description = "Delete a client made through the API.")
    static final class Delete extends RegistryVerbs.Delete {
        @Override
        ResourceView view() {
            return ResourceView.CLIENTS;
        }
    }
}
