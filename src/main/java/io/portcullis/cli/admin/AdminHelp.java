package io.portcullis.cli.admin;

/** Help text shared by the admin commands: the exit codes, shown as the footer of every {@code --help}. */
public final class AdminHelp {
    private static final String HEADING = "%nExit codes:%n"
            + "  0   ok%n"
            + "  1   the answer is no (check-access: denied)%n"
            + "  2   usage: a bad or missing option, or an unreadable file named by one%n";
    private static final String API_CODES = "  6   not found (HTTP 404)%n"
            + "  7   conflict: read-only, in use, or a stale ETag (HTTP 409, 412)%n"
            + "  8   input rejected by the API (HTTP 400, 413, 415)%n"
            + "  9   cannot reach the broker, or TLS failed (check --url, --ca, --cert, --key)%n"
            + "  10  any other API error (HTTP 500, 405, or not the admin API)%n"
            + "Errors are printed on stderr as 'error CODE: message' and '  target: message' per detail.";

    /** The footer of the admin API commands. */
    public static final String EXIT_CODES = HEADING + API_CODES;

    /** The footer of check-access, which also reads configuration files. */
    public static final String CHECK_ACCESS_EXIT_CODES = HEADING
            + "  3   the --config file is missing, unreadable or invalid%n" + API_CODES;

    private AdminHelp() {
    }
}
