package io.portcullis.cli.admin;

/** How a command prints its answer: aligned tables and key: value lines for people, or JSON for scripts. */
public enum OutputFormat {
    table,
    json
}
