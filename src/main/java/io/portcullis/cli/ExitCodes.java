package io.portcullis.cli;

/**
 * Exit codes that scripts can rely on, shared by every subcommand package (cli.pki, cli.admin). The admin
 * commands ({@code client}, {@code session}, {@code check-access --url ...} and the rest) add 6 to 10, the
 * {@code pki} commands 11 and 12; README "Command-line tool" lists them.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** An answer was "no" (for example check-access denied). */
    public static final int DENIED = 1;
    /** Bad command-line usage (picocli's own code), also missing or unreadable connection options. */
    public static final int USAGE = 2;
    /** The configuration file is invalid; the message names the file, key and fix. */
    public static final int CONFIGURATION = 3;
    /**
     * A listener could not bind: its port is in use or privileged, or its address is not one of this host's.
     * The message names listener, address and port, and the setting to change.
     */
    public static final int LISTEN = 4;
    /** The data store cannot be opened or read; the message names the directory and what to do. */
    public static final int STORAGE = 5;
    /** The admin API answered 404: no such resource, session or retained message. */
    public static final int NOT_FOUND = 6;
    /** The admin API answered 409 or 412: a conflict, a read-only resource, or a stale ETag. */
    public static final int CONFLICT = 7;
    /** The admin API rejected the input: 400 (validation), 413 (too large) or 415. */
    public static final int REJECTED = 8;
    /** The broker cannot be reached or the TLS handshake failed (wrong CA, wrong admin certificate). */
    public static final int UNREACHABLE = 9;
    /** The admin API answered something else the command cannot use (500, 405, not the API's JSON). */
    public static final int API_ERROR = 10;
    /** A file the command would write already exists; nothing was written. Run again with --force to replace it. */
    public static final int FILE_EXISTS = 11;
    /**
     * A file the command reads or writes is missing, unreadable, unwritable or not what it must be (no
     * certificate in it, a key that does not belong to its certificate, an issuer that is not a CA); the
     * message names the file and the fix.
     */
    public static final int FILE_ERROR = 12;

    private ExitCodes() {
    }
}
