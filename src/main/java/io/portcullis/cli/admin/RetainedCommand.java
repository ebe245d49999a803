package io.portcullis.cli.admin;

import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/**
 * {@code portcullis retained list|show|delete}: retained messages. A topic is sent as one
 * percent-encoded path segment ({@code a/b} becomes {@code a%2Fb}), as the API contract asks.
 */
@Command(name = "retained", footer = AdminHelp.EXIT_CODES,
        description = "List, show and delete retained messages through the admin API.",
        subcommands = {RetainedCommand.Listing.class, RetainedCommand.Show.class, RetainedCommand.Delete.class})
public final class RetainedCommand {

    @Mixin
    HelpOption help;

    @Command(name = "list", description = "List retained messages: TOPIC, QOS, SIZE, CONTENT TYPE, EXPIRY (S).")
    static final class Listing extends ListCommand {
        @Option(names = "--topic-filter", paramLabel = "FILTER", defaultValue = "#", order = 19,
                description = "Only topics matching this MQTT filter (default: ${DEFAULT-VALUE}, every topic).")
        String topicFilter;

        @Override
        ResourceView view() {
            return ResourceView.RETAINED_MESSAGES;
        }

        @Override
        Map<String, String> filterParameters() {
            return Map.of("topicFilter", topicFilter);
        }
    }

    @Command(name = "show", description = "Show one retained message; the payload is Base64 (-o json for all fields).")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOPIC", description = "The retained message's topic.")
        String topic;

        @Override
        void validate() throws AdminCommandException {
            requireArgument("TOPIC", topic, "the retained message's topic");
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            printResource(api.get(ApiPaths.item(ResourceView.RETAINED_MESSAGES.collection(), topic)).body());
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a retained message (like publishing an empty retained one).")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "TOPIC", description = "The retained message's topic.")
        String topic;

        @Override
        void validate() throws AdminCommandException {
            requireArgument("TOPIC", topic, "the retained message's topic");
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            api.send("DELETE", ApiPaths.item(ResourceView.RETAINED_MESSAGES.collection(), topic), Map.of(), null);
            printDone("Deleted the retained message of '" + Text.printable(topic) + "'.");
            return ExitCodes.OK;
        }
    }
}
