package io.portcullis.cli;

import io.portcullis.authorization.RegistryPermissionEvaluator;
import io.portcullis.broker.Broker;
import io.portcullis.broker.Configurations;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.persistence.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code portcullis serve --config FILE}: the production start. Runs until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the broker from a configuration file (default ports 8883 MQTTS, 443 WSS).",
                "Edits of the registry sections (caCertificates, clients, clientGroups, topicSpaces, "
                        + "permissionBindings, namespace) apply while running, on file change or SIGHUP; "
                        + "listeners, tls and mqtt need a restart."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file.")
    private Path config;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded;
        try {
            loaded = Configurations.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        try {
            return runUntilStopped(loaded, null);
        } catch (StoreException e) {
            System.err.println(e.getMessage());
            return ExitCodes.STORAGE;
        }
    }

    /** Starts the broker, runs {@code afterStart} (may be null), and blocks until shutdown. */
    static int runUntilStopped(LoadedConfig loaded, java.util.function.Consumer<Broker> afterStart)
            throws Exception {
        Broker broker = Broker.start(loaded, new RegistryPermissionEvaluator());
        // Registry edits in the file (or SIGHUP) apply while running; listener and TLS edits need a restart.
        try {
            broker.watchConfiguration();
        } catch (java.io.IOException e) {
            broker.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "portcullis-shutdown"));
        if (afterStart != null) {
            afterStart.accept(broker);
        }
        stopped.await();
        return ExitCodes.OK;
    }
}
