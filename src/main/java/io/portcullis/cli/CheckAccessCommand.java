package io.portcullis.cli;

import io.portcullis.authorization.AccessExplainer;
import io.portcullis.authorization.AccessExplanation;
import io.portcullis.broker.Configurations;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code portcullis check-access}: answers "may client X publish to T / subscribe to F" from a
 * configuration file with the same evaluator the broker uses, and explains the decision.
 * Exit code 0 when allowed, 1 when denied, 3 when the configuration is invalid.
 */
@Command(name = "check-access", mixinStandardHelpOptions = true,
        description = "Explain whether a client may publish to a topic or subscribe to a filter.")
final class CheckAccessCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration file.")
    private Path config;

    @Option(names = "--client", required = true, paramLabel = "NAME", description = "The client's name.")
    private String client;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Operation operation;

    static final class Operation {
        @Option(names = "--publish", paramLabel = "TOPIC", description = "A topic name to publish to.")
        String publish;

        @Option(names = "--subscribe", paramLabel = "FILTER", description = "A topic filter to subscribe to.")
        String subscribe;
    }

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            loaded = Configurations.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        AccessExplainer explainer = new AccessExplainer();
        AccessExplanation explanation = operation.publish != null
                ? explainer.explainPublish(loaded.registry(), client, operation.publish)
                : explainer.explainSubscribe(loaded.registry(), client, operation.subscribe);
        // Through picocli's writers (System.out and System.err unless the caller set others), so tests and
        // embedding code can capture the answer.
        spec.commandLine().getOut().println(explanation.decision().allowed() ? "ALLOWED" : "DENIED");
        spec.commandLine().getOut().println(explanation.text());
        return explanation.decision().allowed() ? ExitCodes.OK : ExitCodes.DENIED;
    }
}
