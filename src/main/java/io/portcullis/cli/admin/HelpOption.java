package io.portcullis.cli.admin;

import picocli.CommandLine.Option;

/** {@code -h/--help} for the admin commands (a picocli mixin); they have no version of their own to print. */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, order = 200, description = "Show this help and exit.")
    boolean help;
}
