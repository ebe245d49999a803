package io.portcullis.cli;

import io.portcullis.cli.admin.CaCertificateCommand;
import io.portcullis.cli.admin.ClientCommand;
import io.portcullis.cli.admin.ClientGroupCommand;
import io.portcullis.cli.admin.PermissionBindingCommand;
import io.portcullis.cli.admin.RetainedCommand;
import io.portcullis.cli.admin.SessionCommand;
import io.portcullis.cli.admin.TopicSpaceCommand;
import io.portcullis.cli.pki.PkiCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * The {@code portcullis} command line: the entry point of the runnable jar. Run without a subcommand it is a
 * usage error: the usage goes to standard error and the exit code is {@link ExitCodes#USAGE}, so a script that
 * lost its arguments does not read as success.
 */
@Command(name = "portcullis",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An MQTT 3.1.1 and 5.0 broker that speaks only mutual TLS.",
        subcommands = {ServeCommand.class, DevCommand.class, CheckAccessCommand.class, PkiCommand.class,
                // The admin API commands (io.portcullis.cli.admin).
                CaCertificateCommand.class, ClientCommand.class, ClientGroupCommand.class, TopicSpaceCommand.class,
                PermissionBindingCommand.class, SessionCommand.class, RetainedCommand.class})
public final class PortcullisCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PortcullisCommand()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
