package io.portcullis.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs {@code portcullis ...} in-process and captures the exit code, stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(List<String> connection, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(connection);
        return run(all.toArray(new String[0]));
    }

    public static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new PortcullisCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new CliRun(exitCode, normalize(out.toString()), normalize(err.toString()));
    }

    private static String normalize(String text) {
        return text.replace(System.lineSeparator(), "\n");
    }
}
