package io.portcullis.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a YAML parse failure into one {@link ConfigProblem} line: the position where the parser found the
 * problem, a short description and a fix. SnakeYAML's own message spans several lines and quotes the
 * source; the position Jackson reports for it is where the last good token ended, not where the problem
 * is, so the problem mark of SnakeYAML's exception is used instead. Stateless; called by
 * {@link ConfigLoader} at start-up and on every reload.
 */
final class YamlSyntaxProblem {
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '([^']*)'");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private YamlSyntaxProblem() {
    }

    static ConfigProblem of(String file, JsonProcessingException e) {
        if (findMarked(e) instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return describe(file, mark.getLine() + 1, mark.getColumn() + 1, marked.getProblem(),
                    marked.getContext(), marked.getContextMark());
        }
        JsonLocation location = e.getLocation();
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (location == null || location.getLineNr() < 1) {
            return new ConfigProblem(file, "(document)", "is not valid YAML: " + oneLine(message),
                    "correct the YAML syntax");
        }
        Matcher duplicate = DUPLICATE_KEY.matcher(message);
        if (duplicate.find()) {
            return new ConfigProblem(file, position(location.getLineNr(), location.getColumnNr()),
                    "is not valid YAML: the key '" + duplicate.group(1) + "' appears twice in the same map",
                    "keep one of the two, or correct the YAML syntax if they belong to different maps");
        }
        return describe(file, location.getLineNr(), location.getColumnNr(), message, null, null);
    }

    private static Throwable findMarked(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException) {
                return cause;
            }
        }
        return null;
    }

    private static ConfigProblem describe(String file, int line, int column, String problem, String context,
                                          Mark contextMark) {
        String text = problem == null ? "" : problem;
        String description;
        String fix;
        if (text.contains("(TAB)")) {
            description = "a tab character cannot indent YAML; use spaces";
            fix = "replace the tab with spaces";
        } else if (text.contains("<stream end>") || text.contains("end of stream")) {
            description = "the file ends before " + opened(context, contextMark) + " is closed";
            fix = "close it, or restore the whole file if it was cut short";
        } else if (text.contains("mapping values are not allowed")) {
            description = "a ':' follows a value on the same line";
            fix = "put a value that contains ': ' in quotes, or start the nested key on a line of its own";
        } else if (text.contains("expected <block end>")) {
            description = "this line is not indented like the lines before it";
            fix = "indent it by as many spaces as the keys it belongs with";
        } else {
            description = oneLine(text) + (context == null ? "" : " (" + oneLine(context) + ")");
            fix = "correct the YAML syntax at that position";
        }
        return new ConfigProblem(file, position(line, column), "is not valid YAML: " + description, fix);
    }

    /** What was left open, in the words of the file: "the [ opened at line 2, column 4". */
    private static String opened(String context, Mark contextMark) {
        String what;
        if (context == null) {
            return "a value";
        } else if (context.contains("flow sequence")) {
            what = "the [";
        } else if (context.contains("flow mapping")) {
            what = "the {";
        } else if (context.contains("quoted scalar")) {
            what = "the quote";
        } else {
            what = "the value";
        }
        if (contextMark == null) {
            return what;
        }
        return what + " opened at line " + (contextMark.getLine() + 1) + ", column " + (contextMark.getColumn() + 1);
    }

    private static String position(int line, int column) {
        return "(line " + line + ", column " + column + ")";
    }

    private static String oneLine(String text) {
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }
}
