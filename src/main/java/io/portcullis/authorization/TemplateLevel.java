package io.portcullis.authorization;

import java.util.List;

/** One level of a parsed topic template: literal text, {@code +}, {@code #}, or text with variables. */
sealed interface TemplateLevel {

    /** A level with no variable and no wildcard; may be empty. */
    record Literal(String text) implements TemplateLevel {
    }

    /** The single-level wildcard {@code +}. */
    record SingleWildcard() implements TemplateLevel {
    }

    /** The multi-level wildcard {@code #}, always the last level. */
    record MultiWildcard() implements TemplateLevel {
    }

    /**
     * A level holding at least one variable: {@code texts[0] var[0] texts[1] ... var[n-1] texts[n]}.
     * {@code source} is the level as written, which also identifies it in a trie.
     */
    record Pattern(List<String> texts, List<TemplateVariable> variables, String source) implements TemplateLevel {
        public Pattern {
            texts = List.copyOf(texts);
            variables = List.copyOf(variables);
            if (texts.size() != variables.size() + 1) {
                throw new IllegalArgumentException("a pattern needs one more text than variables");
            }
        }
    }
}
