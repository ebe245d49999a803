package io.portcullis.config;

import java.util.List;

/**
 * A configuration file that cannot be used, with every problem found in it (not only the first), each
 * naming the file, the key and the fix. Thrown at start-up and on reload; the caller prints
 * {@link #getMessage()} and stops, or keeps the previous configuration.
 */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            return "Invalid configuration: " + problems.get(0);
        }
        StringBuilder message = new StringBuilder("Invalid configuration, " + problems.size() + " problems:");
        for (ConfigProblem problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return message.toString();
    }
}
