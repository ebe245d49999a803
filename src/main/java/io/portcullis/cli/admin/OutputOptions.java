package io.portcullis.cli.admin;

import picocli.CommandLine.Option;

/** The {@code -o/--output} option shared by the admin commands (a picocli mixin). */
public final class OutputOptions {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", order = 90,
            description = "table (default; for people) or json (the API's JSON, pretty-printed; for scripts).")
    OutputFormat format = OutputFormat.table;

    public boolean isJson() {
        return format == OutputFormat.json;
    }
}
