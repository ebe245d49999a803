package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Base of every command that calls the admin API: the connection and output options, one place that
 * turns a failure into stderr lines and an exit code, and the printers (JSON, table, key: value).
 * Subclasses check their own options in {@link #validate()} before anything is read or sent. Runs on
 * the main thread.
 */
@Command(sortOptions = false, footer = AdminHelp.EXIT_CODES)
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdminConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Mixin
    HelpOption help;

    @Override
    public final Integer call() {
        try {
            validate();
            AdminApi api = AdminApi.connect(connection.resolve());
            return run(api);
        } catch (AdminCommandException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.lines().forEach(err::println);
            err.flush();
            return e.exitCode();
        }
    }

    /** Checks option combinations the annotations cannot express; throws a usage failure. */
    void validate() throws AdminCommandException {
    }

    abstract int run(AdminApi api) throws AdminCommandException;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    boolean isJson() {
        return output.isJson();
    }

    void printJson(JsonNode node) {
        out().println(Json.pretty(node));
        out().flush();
    }

    /** A resource as JSON or as key: value lines. */
    void printResource(JsonNode resource) {
        if (isJson()) {
            printJson(resource);
            return;
        }
        KeyValueLines.of(resource).forEach(out()::println);
        out().flush();
    }

    void printTable(ResourceView view, Iterable<JsonNode> items) {
        Table table = new Table(view.headers());
        items.forEach(item -> table.add(view.cells(item)));
        table.print(out());
    }

    /** A one-line confirmation for people; scripts using JSON get only the exit code. */
    void printDone(String message) {
        if (!isJson()) {
            out().println(message);
            out().flush();
        }
    }

    /**
     * Refuses an empty NAME, CLIENT_ID or TOPIC before any request: as the last path segment it would address
     * the collection ({@code /api/v1/clients/}) and come back as a 404 that blames a resource, not the input.
     */
    static void requireArgument(String label, String value, String what) throws AdminCommandException {
        if (value.isEmpty()) {
            throw usage(label + " is empty: give " + what);
        }
    }

    static AdminCommandException usage(String message) {
        return new AdminCommandException(ExitCodes.USAGE, message);
    }

    /** An ETag as the If-Match header wants it: quoted, unless it is {@code *} or already quoted. */
    static String quotedEtag(String etag) {
        String trimmed = etag.trim();
        if (trimmed.equals("*") || trimmed.startsWith("\"") || trimmed.toUpperCase(Locale.ROOT).startsWith("W/\"")) {
            return trimmed;
        }
        return "\"" + trimmed + "\"";
    }
}
