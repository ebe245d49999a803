package io.portcullis.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.authorization.AccessDecision;
import io.portcullis.authorization.AccessExplainer;
import io.portcullis.authorization.AccessExplanation;
import io.portcullis.broker.Configurations;
import io.portcullis.cli.admin.AdminConnectionOptions;
import io.portcullis.cli.admin.AdminHelp;
import io.portcullis.cli.admin.ApiAccessCheck;
import io.portcullis.cli.admin.OutputOptions;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.registry.Registry;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code portcullis check-access}: answers "may client X publish to T / subscribe to F" with the same
 * evaluator the broker uses, and explains the decision. It reads a configuration file
 * ({@code --config}) or asks a running broker's admin API (any connection option: {@code --url},
 * {@code --profile}, {@code --dev}). Exit code 0 when allowed, 1 when denied, 2 for bad usage, 3 when the
 * configuration file is missing, unreadable or invalid, 6-10 for admin API failures.
 */
@Command(name = "check-access", mixinStandardHelpOptions = true, sortOptions = false,
        footer = AdminHelp.CHECK_ACCESS_EXIT_CODES,
        description = {"Explain whether a client may publish to a topic or subscribe to a filter.",
                "Give exactly one of --config FILE (evaluate a configuration file) or a connection"
                        + " (--url/--cert/--key/--ca, --profile or --dev: ask the running broker)."})
final class CheckAccessCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", order = 1, description = "The configuration file.")
    private Path config;

    @Option(names = "--client", required = true, paramLabel = "NAME", order = 2, description = "The client's name.")
    private String client;

    @ArgGroup(exclusive = true, multiplicity = "1", order = 3)
    private Operation operation;

    @Mixin
    private AdminConnectionOptions connection;

    @Mixin
    private OutputOptions output;

    static final class Operation {
        @Option(names = "--publish", paramLabel = "TOPIC", description = "A topic name to publish to.")
        String publish;

        @Option(names = "--subscribe", paramLabel = "FILTER", description = "A topic filter to subscribe to.")
        String subscribe;
    }

    @Override
    public Integer call() {
        boolean publish = operation.publish != null;
        String topic = publish ? operation.publish : operation.subscribe;
        if (config != null && connection.isGiven()) {
            spec.commandLine().getErr().println("Give either --config FILE or a connection to a broker"
                    + " (--url, --cert, --key, --ca, --profile, --dev), not both.");
            return ExitCodes.USAGE;
        }
        if (config == null && !connection.isGiven()) {
            spec.commandLine().getErr().println("Missing --config FILE (check a configuration file) or a connection"
                    + " to a running broker (--url with --cert, --key and --ca, or --profile FILE, or --dev DIR).");
            return ExitCodes.USAGE;
        }
        if (config == null) {
            return ApiAccessCheck.run(connection, output, client, publish, topic, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        LoadedConfig loaded;
        try {
            loaded = Configurations.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        AccessExplainer explainer = new AccessExplainer();
        AccessExplanation explanation = publish
                ? explainer.explainPublish(loaded.registry(), client, topic)
                : explainer.explainSubscribe(loaded.registry(), client, topic);
        if (isUnknown(loaded.registry(), client)) {
            explanation = withFileOnlyNote(explanation);
        }
        // Through picocli's writers (System.out and System.err unless the caller set others), so tests and
        // embedding code can capture the answer.
        if (output.isJson()) {
            spec.commandLine().getOut().println(json(explanation));
        } else {
            spec.commandLine().getOut().println(explanation.decision().allowed() ? "ALLOWED" : "DENIED");
            spec.commandLine().getOut().println(explanation.text());
        }
        return explanation.decision().allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    /**
     * The explainer's own test for "no such client". Client groups and topic spaces need no such test here: the
     * file's loader refuses a binding that names one the file lacks (exit code 3), as the broker does.
     */
    private static boolean isUnknown(Registry registry, String client) {
        return registry.clients().get(client) == null && registry.clientByAuthenticationName(client) == null;
    }

    /**
     * The explanation with a last line saying why a client the broker knows may be missing: the file holds only
     * what it defines, while clients made through the admin API live in the broker's store.
     */
    private AccessExplanation withFileOnlyNote(AccessExplanation explanation) {
        List<String> lines = new ArrayList<>(explanation.lines());
        lines.add("--config reads only the configuration file " + config + "; clients, client groups and topic"
                + " spaces made through the admin API are not in it. To ask the running broker, give --url (with"
                + " --cert, --key, --ca), --profile FILE or --dev DIR instead of --config.");
        return new AccessExplanation(explanation.decision(), lines);
    }

    /** The same JSON shape as the admin API's access check answer, so scripts read both modes alike. */
    private static String json(AccessExplanation explanation) {
        AccessDecision decision = explanation.decision();
        JsonMapper mapper = new JsonMapper();
        ObjectNode answer = mapper.createObjectNode()
                .put("allowed", decision.allowed())
                .put("permissionBinding", decision.bindingName())
                .put("topicSpace", decision.topicSpaceName())
                .put("topicTemplate", decision.template())
                .put("reason", decision.reason());
        explanation.lines().forEach(answer.putArray("explanation")::add);
        return answer.toPrettyString();
    }
}
