package io.portcullis.cli.pki;

import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code portcullis pki}: certificate tooling for a Portcullis deployment: CAs, server and client certificates,
 * thumbprints, and revoking dev clients. The groups below only group (run alone, each is a usage error); the
 * leaves do the work.
 */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = {"Make certificates: CAs, broker server certificates, client certificates; print thumbprints;"
                + " revoke dev clients.",
                "Output is PEM. Private keys are written with mode 0600. Existing files are never replaced"
                        + " without --force.",
                "Exit codes: 0 done, 2 bad usage, 11 an output file exists (nothing written), 12 a file cannot be"
                        + " read or written or is not what it must be."},
        subcommands = {PkiCommand.Ca.class, PkiCommand.Intermediate.class, PkiCommand.Server.class,
                PkiCommand.Client.class, ThumbprintCommand.class})
public final class PkiCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        return Group.usageError(spec);
    }

    /** {@code pki ca}: root CAs. */
    @Command(name = "ca", mixinStandardHelpOptions = true, description = "Root CAs.",
            subcommands = CaCreateCommand.class)
    static final class Ca extends Group {
    }

    /** {@code pki intermediate}: intermediate CAs. */
    @Command(name = "intermediate", mixinStandardHelpOptions = true, description = "Intermediate CAs.",
            subcommands = IntermediateCreateCommand.class)
    static final class Intermediate extends Group {
    }

    /** {@code pki server}: the broker's own certificates. */
    @Command(name = "server", mixinStandardHelpOptions = true, description = "Server certificates for the broker.",
            subcommands = ServerIssueCommand.class)
    static final class Server extends Group {
    }

    /** {@code pki client}: device certificates. */
    @Command(name = "client", mixinStandardHelpOptions = true, description = "Client (device) certificates.",
            subcommands = {ClientIssueCommand.class, ClientRevokeCommand.class})
    static final class Client extends Group {
    }

    /**
     * A command that only groups subcommands. Run on its own it is a usage error, as {@code portcullis} alone is:
     * the usage goes to standard error and the exit code is {@link ExitCodes#USAGE}.
     */
    abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return usageError(spec);
        }

        static int usageError(CommandSpec spec) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return ExitCodes.USAGE;
        }
    }
}
