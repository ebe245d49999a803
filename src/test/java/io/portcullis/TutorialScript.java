package io.portcullis;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README tutorial as one bash script: the {@code ```sh} blocks of the section "Tutorial: a fleet through
 * the CLI", in order, after {@code set -euo pipefail}. {@link #replace} and {@link #replacePort} adapt the
 * text to a test run (a temporary folder, free ports) and fail when the text they replace is not in the
 * tutorial, so the README and the test cannot drift apart silently. Immutable.
 */
record TutorialScript(String text) {
    static final String HEADING = "## Tutorial: a fleet through the CLI";
    private static final String STRICT_MODE = "set -euo pipefail";

    /** The tutorial section of {@code readme} (Markdown) as a script; fails without the section or its blocks. */
    static TutorialScript fromReadme(String readme) {
        List<String> lines = readme.lines().toList();
        int start = lines.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalArgumentException("README has no line '" + HEADING + "'");
        }
        List<String> script = new ArrayList<>();
        script.add(STRICT_MODE);
        boolean inBlock = false;
        int blocks = 0;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!inBlock && line.startsWith("## ")) {
                break;
            }
            if (!inBlock && line.equals("```sh")) {
                inBlock = true;
                blocks++;
            } else if (inBlock && line.equals("```")) {
                inBlock = false;
            } else if (inBlock) {
                script.add(line);
            }
        }
        if (inBlock) {
            throw new IllegalArgumentException("The tutorial's sh block " + blocks + " is not closed");
        }
        if (blocks == 0) {
            throw new IllegalArgumentException("The tutorial section has no ```sh blocks");
        }
        return new TutorialScript(String.join("\n", script) + "\n");
    }

    /** This script with every {@code original} replaced; fails when the tutorial does not contain it. */
    TutorialScript replace(String original, String replacement) {
        if (!text.contains(original)) {
            throw new IllegalArgumentException("The tutorial no longer contains '" + original + "'");
        }
        return new TutorialScript(text.replace(original, replacement));
    }

    /** This script with the port number {@code port} (a whole number, not part of another) replaced. */
    TutorialScript replacePort(int port, int replacement) {
        Matcher matcher = Pattern.compile("(?<![0-9])" + port + "(?![0-9])").matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("The tutorial no longer uses port " + port);
        }
        return new TutorialScript(matcher.replaceAll(Integer.toString(replacement)));
    }

    /** The number of times {@code fragment} occurs in the script. */
    int count(String fragment) {
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + fragment.length())) {
            count++;
        }
        return count;
    }
}
