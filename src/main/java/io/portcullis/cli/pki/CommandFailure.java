package io.portcullis.cli.pki;

/**
 * Why a {@code pki} command stopped: a message for the user (what went wrong and the fix) and the exit code
 * from {@link io.portcullis.cli.ExitCodes}. Thrown on the command's thread and reported once by
 * {@link PkiAction}.
 */
final class CommandFailure extends Exception {
    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
