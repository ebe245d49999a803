package io.portcullis.cli.admin;

import java.util.List;

/**
 * Why an admin command stopped: the lines to print on standard error and the exit code scripts see
 * (see {@link io.portcullis.cli.ExitCodes}). Thrown from option resolution, TLS set-up and API calls,
 * caught once in {@link ApiCommand}.
 */
public final class AdminCommandException extends Exception {
    private final int exitCode;
    private final List<String> lines;

    AdminCommandException(int exitCode, List<String> lines) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    AdminCommandException(int exitCode, String message) {
        this(exitCode, List.of(message));
    }

    AdminCommandException(int exitCode, String message, Throwable cause) {
        this(exitCode, List.of(message));
        initCause(cause);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The lines for standard error, in order. */
    public List<String> lines() {
        return lines;
    }
}
