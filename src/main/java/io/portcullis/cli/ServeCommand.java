package io.portcullis.cli;

import io.portcullis.authorization.RegistryPermissionEvaluator;
import io.portcullis.broker.Broker;
import io.portcullis.broker.Configurations;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.transport.ListenerBindException;
import io.portcullis.persistence.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code portcullis serve --config FILE}: the production start. Runs until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the broker from a configuration file (default ports 8883 MQTTS, 443 WSS).",
                "Applied while running, on file change or SIGHUP: the registry sections (caCertificates, "
                        + "clients, clientGroups, topicSpaces, permissionBindings, namespace), "
                        + "tls.serverCertificates (the files too), tls.certificateExpiryWarning, revocation "
                        + "(CRL files too), admin.caCertificates and admin.thumbprints. The rest of listeners, "
                        + "tls, mqtt and admin, namespace.subjectNameMatch and storage need a restart; a reload "
                        + "that changes them names them in a WARN."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration file.")
    private Path config;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded;
        try {
            loaded = Configurations.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        try {
            return runUntilStopped(loaded, null);
        } catch (ListenerBindException e) {
            String in = " in " + loaded.file();
            spec.commandLine().getErr().println(bindFailure(e, "set " + listenerKey(e.listenerName(), "port") + in,
                    "set " + listenerKey(e.listenerName(), "bindAddress") + in + " to one of this host's addresses"
                            + " (0.0.0.0 for all IPv4 addresses)"));
            return ExitCodes.LISTEN;
        } catch (StoreException e) {
            spec.commandLine().getErr().println(storeFailure(e, loaded));
            return ExitCodes.STORAGE;
        }
    }

    /** A listener's configuration key ({@code port}, {@code bindAddress}) by the name the listener logs. */
    private static String listenerKey(String listenerName, String setting) {
        return switch (listenerName) {
            case "wss" -> "listeners.websocket." + setting;
            case "admin" -> "admin." + setting;
            default -> "listeners." + listenerName + "." + setting;
        };
    }

    /** The store's message, after the configuration file when a setting of that file is the fix. */
    static String storeFailure(StoreException e, LoadedConfig loaded) {
        return e.setting() == null ? e.getMessage() : loaded.file() + ": " + e.getMessage();
    }

    /**
     * One line for a listener that cannot bind: which listener, where, why, and what to change;
     * {@code changePort} says how to pick another port ("set listeners.mqtts.port in FILE"),
     * {@code changeAddress} how to pick another address.
     */
    static String bindFailure(ListenerBindException e, String changePort, String changeAddress) {
        String reason = e.reason();
        String lowerCase = reason.toLowerCase(Locale.ROOT);
        String fix;
        if (reason.contains("in use")) {
            fix = "stop the other process on port " + e.port() + ", or " + changePort;
        } else if (e.port() < 1024 && lowerCase.contains("permission")) {
            fix = "ports below 1024 need root or the CAP_NET_BIND_SERVICE capability; or " + changePort;
        } else if (lowerCase.contains("assign requested address")) {
            // EADDRNOTAVAIL: no interface of this host has the address (Linux and macOS wording).
            reason = e.bindAddress() + " is not an address of this host";
            fix = changeAddress;
        } else {
            fix = "check that " + e.bindAddress() + " is an address of this host, or " + changePort;
        }
        return "Cannot start listener " + e.listenerName() + " on " + e.bindAddress() + ":" + e.port() + ": "
                + reason + ". Fix: " + fix + ".";
    }

    /**
     * Starts the broker, runs {@code afterStart} (may be null), and blocks until shutdown.
     *
     * @throws ListenerBindException when a listener cannot bind; nothing is left running
     */
    static int runUntilStopped(LoadedConfig loaded, java.util.function.Consumer<Broker> afterStart)
            throws Exception {
        Broker broker = Broker.start(loaded, new RegistryPermissionEvaluator());
        // Edits of the file and the files it names (or SIGHUP) apply while running, as RestartSettings sorts them.
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
