package io.portcullis.cli.admin;

import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.Map;

/** {@code portcullis session list|show|disconnect}: MQTT sessions, connected or offline. */
@Command(name = "session", footer = AdminHelp.EXIT_CODES,
        description = "List, show and disconnect MQTT sessions through the admin API.",
        subcommands = {SessionCommand.Listing.class, SessionCommand.Show.class, SessionCommand.Disconnect.class})
public final class SessionCommand {

    @Mixin
    HelpOption help;

    @Command(name = "list", description = "List sessions: NAME, CONNECTED, PROTOCOL, REMOTE, SUBSCRIPTIONS, QUEUED.")
    static final class Listing extends ListCommand {
        @Option(names = "--filter", paramLabel = "TEXT", order = 19,
                description = "Only client ids containing TEXT (ignoring case).")
        String filter;

        @Override
        ResourceView view() {
            return ResourceView.SESSIONS;
        }

        @Override
        Map<String, String> filterParameters() {
            Map<String, String> parameters = new HashMap<>();
            parameters.put("filter", filter);
            return parameters;
        }
    }

    @Command(name = "show", description = "Show one session with its subscriptions.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID", description = "The session's client id.")
        String clientId;

        @Override
        void validate() throws AdminCommandException {
            requireArgument("CLIENT_ID", clientId, "the session's client id");
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            printResource(api.get(ApiPaths.item(ResourceView.SESSIONS.collection(), clientId)).body());
            return ExitCodes.OK;
        }
    }

    @Command(name = "disconnect", description = {"Disconnect a client (MQTT 5: reason 0x98 Administrative action).",
            "The session is kept unless --discard is given."})
    static final class Disconnect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "CLIENT_ID", description = "The session's client id.")
        String clientId;

        @Option(names = "--discard", order = 1,
                description = "Also discard the session: its subscriptions and queued messages (no Will is sent).")
        boolean discard;

        @Override
        void validate() throws AdminCommandException {
            requireArgument("CLIENT_ID", clientId, "the session's client id");
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            String path = ApiPaths.item(ResourceView.SESSIONS.collection(), clientId);
            api.send("DELETE", discard ? path + "?discard=true" : path, Map.of(), null);
            printDone("Disconnected '" + Text.printable(clientId) + "'; session "
                    + (discard ? "discarded." : "kept."));
            return ExitCodes.OK;
        }
    }
}
