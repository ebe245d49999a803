package io.portcullis.cli;

/** Exit codes that scripts can rely on. Public so the subcommand packages (cli.pki, cli.admin) share them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An answer was "no" (for example check-access denied). */
    public static final int DENIED = 1;
    /** Bad command-line usage (picocli's own code). */
    public static final int USAGE = 2;
    /** The configuration file is invalid; the message names the file, key and fix. */
    public static final int CONFIGURATION = 3;
    /** A listener could not bind its port (in use, or privileged); the message names listener, address, port. */
    public static final int LISTEN = 4;
    /** The data store cannot be opened or read; the message names the directory and what to do. */
    public static final int STORAGE = 5;
    /** A file the command would write already exists; nothing was written. Run again with --force to replace it. */
    public static final int FILE_EXISTS = 10;
    /**
     * A file the command reads or writes is missing, unreadable, unwritable or not what it must be (no
     * certificate in it, a key that does not belong to its certificate, an issuer that is not a CA); the
     * message names the file and the fix.
     */
    public static final int FILE_ERROR = 11;

    private ExitCodes() {
    }
}
