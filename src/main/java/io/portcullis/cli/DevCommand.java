package io.portcullis.cli;

import io.portcullis.broker.Broker;
import io.portcullis.broker.Configurations;
import io.portcullis.config.ConfigException;
import io.portcullis.config.LoadedConfig;
import io.portcullis.persistence.StoreException;
import io.portcullis.pki.DevPki;
import io.portcullis.transport.ListenerBindException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code portcullis dev}: a working development broker in one step. Creates (or reuses) a dev PKI in
 * the directory, writes {@code portcullis.yaml} registering its clients with rights everywhere outside
 * {@code $} topics, serves on loopback and prints mosquitto lines that work.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Start a development broker with its own PKI and sample clients.",
                "The first run creates DIR/ca.pem, DIR/server/, DIR/clients/, DIR/admin/ (admin API certificate), "
                        + "DIR/pki/intermediate-ca.crl and DIR/portcullis.yaml, and keeps its store in DIR/data; "
                        + "later runs reuse the certificates, "
                        + "re-issue the CRL when it has less than 7 days left, and rewrite portcullis.yaml "
                        + "from the options.",
                "Listens on 127.0.0.1 only. For your own setup copy portcullis.yaml and use 'serve'."})
final class DevCommand implements Callable<Integer> {
    static final String CONFIG_FILE = "portcullis.yaml";
    /** How the printed lines start: the launcher in the checkout, as the README runs it. */
    static final String CLI = "bin/portcullis";

    @Option(names = "--dir", defaultValue = "dev", paramLabel = "DIR",
            description = "Directory for the dev PKI and configuration (default: ${DEFAULT-VALUE}).")
    private Path directory;

    @Option(names = "--mqtts-port", defaultValue = "8883", paramLabel = "N",
            description = "MQTT over TLS port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int mqttsPort;

    @Option(names = "--wss-port", defaultValue = "8443", paramLabel = "N",
            description = "MQTT over secure WebSockets port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int wssPort;

    @Option(names = "--admin-port", defaultValue = "9443", paramLabel = "N",
            description = "Admin API port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one, and then "
                    + "the admin commands need --url as well as --dev DIR: the printed line has it).")
    private int adminPort;

    @Option(names = "--clients", defaultValue = "3", paramLabel = "N",
            description = "Number of CA-signed sample clients client-1..client-N (default: ${DEFAULT-VALUE}).")
    private int clients;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > 1000) {
            spec.commandLine().getErr().println("--clients must be between 1 and 1000, was " + clients);
            return ExitCodes.USAGE;
        }
        Path dir = directory.toAbsolutePath().normalize();
        DevPki.Layout pki = DevPki.ensure(dir, clients);
        Path configFile = dir.resolve(CONFIG_FILE);
        Files.writeString(configFile, DevConfiguration.yaml(pki, mqttsPort, wssPort, adminPort),
                StandardCharsets.UTF_8);

        LoadedConfig loaded;
        try {
            loaded = Configurations.load(configFile);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        try {
            return ServeCommand.runUntilStopped(loaded,
                    broker -> System.out.println(instructions(pki, broker, adminPort)));
        } catch (ListenerBindException e) {
            String option = portOption(e.listenerName());
            spec.commandLine().getErr().println(ServeCommand.bindFailure(e,
                    "choose another port with " + option + " (0 picks a free one)",
                    "check that the loopback interface is up"));
            return ExitCodes.LISTEN;
        } catch (StoreException e) {
            spec.commandLine().getErr().println(ServeCommand.storeFailure(e, loaded));
            return ExitCodes.STORAGE;
        }
    }

    /** The dev option that sets the port of a listener, by the name {@link ListenerBindException} gives it. */
    static String portOption(String listenerName) {
        return switch (listenerName) {
            case "wss" -> "--wss-port";
            case "admin" -> "--admin-port";
            default -> "--mqtts-port";
        };
    }

    private static String instructions(DevPki.Layout pki, Broker broker, int adminPort) {
        Path cwd = Path.of("").toAbsolutePath();
        String ca = display(cwd, pki.caFile());
        String dir = display(cwd, pki.directory());
        // client-3 is the default third client; with fewer clients the last one is the one to revoke.
        String revocable = pki.clients().stream().map(DevPki.ClientFiles::name).filter("client-3"::equals)
                .findFirst().orElse(pki.clients().get(pki.clients().size() - 1).name());
        String adminUrl = "https://127.0.0.1:" + broker.adminPort();
        // The configuration records port 0 when the port was picked at start, so --dev alone cannot find it.
        String adminArguments = "--dev " + dir + (adminPort == 0 ? " --url " + adminUrl : "");
        DevPki.ClientFiles publisher = pki.clients().get(0);
        DevPki.ClientFiles subscriber = pki.clients().size() > 1 ? pki.clients().get(1) : publisher;
        String nl = System.lineSeparator();
        return nl + "Portcullis dev broker is running." + nl
                + "  MQTT over TLS:        localhost:" + broker.mqttsPort() + nl
                + "  MQTT over secure WS:  wss://localhost:" + broker.webSocketPort() + "/mqtt" + nl
                + "  Configuration:        " + display(cwd, pki.directory().resolve(CONFIG_FILE)) + nl
                + "  Trust this CA:        " + ca + nl + nl
                + "Subscribe (in another terminal):" + nl
                + "  mosquitto_sub -h localhost -p " + broker.mqttsPort() + " --cafile " + ca
                + " --cert " + display(cwd, subscriber.files().certificate())
                + " --key " + display(cwd, subscriber.files().privateKey()) + " -t 'demo/#' -v" + nl + nl
                + "Publish:" + nl
                + "  mosquitto_pub -h localhost -p " + broker.mqttsPort() + " --cafile " + ca
                + " --cert " + display(cwd, publisher.files().certificate())
                + " --key " + display(cwd, publisher.files().privateKey()) + " -t demo/hello -m 'hello'" + nl + nl
                + "Self-signed client (registered by thumbprint): "
                + display(cwd, pki.selfSignedClient().files().certificate()) + nl + nl
                + "Admin API (" + adminUrl + (adminPort == 0 ? ", a free port; --admin-port fixes one" : "")
                + "; admin certificate in " + display(cwd, pki.adminClient().certificate().getParent()) + "):"
                + nl
                + "  " + CLI + " client list " + adminArguments + nl + nl
                + "Revoke a client (the CRL is " + display(cwd, pki.crlFile()) + "):" + nl
                + "  " + CLI + " pki client revoke " + revocable + " --dir " + dir + nl + nl
                + "Stop with Ctrl+C." + nl;
    }

    private static String display(Path cwd, Path file) {
        if (file.equals(cwd)) {
            return ".";
        }
        return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
    }
}
