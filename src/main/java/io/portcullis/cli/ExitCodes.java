package io.portcullis.cli;

/** Exit codes that scripts can rely on. */
final class ExitCodes {
    static final int OK = 0;
    /** An answer was "no" (for example check-access denied). */
    static final int DENIED = 1;
    /** Bad command-line usage (picocli's own code). */
    static final int USAGE = 2;
    /** The configuration file is invalid; the message names the file, key and fix. */
    static final int CONFIGURATION = 3;
    /** A listener could not bind its port (in use, or privileged); the message names listener, address, port. */
    static final int LISTEN = 4;
    /** The data store cannot be opened or read; the message names the directory and what to do. */
    static final int STORAGE = 5;

    private ExitCodes() {
    }
}
