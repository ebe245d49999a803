package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.topic.Topics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed topic template of a topic space (SPEC 3.3): an MQTT topic filter whose levels may
 * contain {@code ${client.authenticationName}} and {@code ${client.attributes.<key>}}, as a whole
 * level or inside one, never across a {@code /}. Immutable and thread-safe.
 *
 * <p>Variable names are case-sensitive as written here; attribute keys are letters, digits and
 * {@code _}. A template may not start with {@code $} (those topics are reserved for the broker)
 * unless it starts with a variable.
 */
public final class TopicTemplate {
    private final String source;
    private final List<TemplateLevel> levels;
    private final List<TemplateVariable> variables;

    private TopicTemplate(String source, List<TemplateLevel> levels) {
        this.source = source;
        this.levels = List.copyOf(levels);
        Set<TemplateVariable> distinct = new LinkedHashSet<>();
        for (TemplateLevel level : levels) {
            if (level instanceof TemplateLevel.Pattern pattern) {
                distinct.addAll(pattern.variables());
            }
        }
        this.variables = List.copyOf(distinct);
    }

    /**
     * Parses a template.
     *
     * @throws TemplateParseException with the 0-based position when a variable is malformed or
     *                                unknown, or the template is not a valid topic filter
     */
    public static TopicTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        if (template.isEmpty()) {
            throw new TemplateParseException(0, "the template is empty; expected a topic filter");
        }
        if (template.charAt(0) == '$' && !template.startsWith("${")) {
            throw new TemplateParseException(0, "topics starting with '$' are reserved for the broker");
        }
        List<TemplateLevel> levels = new ArrayList<>();
        int length = template.length();
        int i = 0;
        while (true) {
            int levelStart = i;
            List<String> texts = new ArrayList<>();
            List<TemplateVariable> variables = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            while (i < length && template.charAt(i) != '/') {
                char c = template.charAt(i);
                if (c == '$' && i + 1 < length && template.charAt(i + 1) == '{') {
                    int close = template.indexOf('}', i + 2);
                    int slash = template.indexOf('/', i + 2);
                    if (close < 0 || (slash >= 0 && slash < close)) {
                        throw new TemplateParseException(i, "the variable starting here has no '}' before the end "
                                + "of its level; a variable never spans levels");
                    }
                    variables.add(variable(template.substring(i + 2, close), i + 2));
                    texts.add(text.toString());
                    text.setLength(0);
                    i = close + 1;
                    continue;
                }
                boolean levelEnds = i + 1 == length || template.charAt(i + 1) == '/';
                if (c == '+' && !(i == levelStart && levelEnds)) {
                    throw new TemplateParseException(i, "'+' must occupy a whole level of the topic filter");
                }
                if (c == '#' && !(i == levelStart && i + 1 == length)) {
                    throw new TemplateParseException(i, "'#' must be the whole last level of the topic filter");
                }
                if (c == '\u0000') {
                    throw new TemplateParseException(i, "U+0000 is not allowed in a topic filter");
                }
                text.append(c);
                i++;
            }
            texts.add(text.toString());
            levels.add(level(template.substring(levelStart, i), texts, variables));
            if (i == length) {
                break;
            }
            i++;
        }
        String problem = Topics.validateFilter(skeleton(levels), Integer.MAX_VALUE, Integer.MAX_VALUE);
        if (problem != null) {
            throw new TemplateParseException(0, problem);
        }
        return new TopicTemplate(template, levels);
    }

    private static TemplateLevel level(String source, List<String> texts, List<TemplateVariable> variables) {
        if (!variables.isEmpty()) {
            return new TemplateLevel.Pattern(texts, variables, source);
        }
        return switch (source) {
            case "+" -> new TemplateLevel.SingleWildcard();
            case "#" -> new TemplateLevel.MultiWildcard();
            default -> new TemplateLevel.Literal(source);
        };
    }

    private static TemplateVariable variable(String name, int position) {
        if (name.equals(TemplateVariable.AUTHENTICATION_NAME_TEXT)) {
            return TemplateVariable.AUTHENTICATION_NAME;
        }
        if (name.startsWith(TemplateVariable.ATTRIBUTE_PREFIX)) {
            String key = name.substring(TemplateVariable.ATTRIBUTE_PREFIX.length());
            int keyPosition = position + TemplateVariable.ATTRIBUTE_PREFIX.length();
            if (key.isEmpty()) {
                throw new TemplateParseException(keyPosition, "expected an attribute key after 'client.attributes.'");
            }
            for (int k = 0; k < key.length(); k++) {
                char c = key.charAt(k);
                if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '_') {
                    throw new TemplateParseException(keyPosition + k, "an attribute key holds only letters, digits "
                            + "and '_', found '" + c + "'");
                }
            }
            return new TemplateVariable(key);
        }
        throw new TemplateParseException(position, "unknown variable '${" + name + "}'; expected "
                + "${client.authenticationName} or ${client.attributes.<key>}");
    }

    /** The template with each variable replaced by a placeholder, to check it as a topic filter. */
    private static String skeleton(List<TemplateLevel> levels) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                out.append('/');
            }
            TemplateLevel level = levels.get(i);
            if (level instanceof TemplateLevel.Literal literal) {
                out.append(literal.text());
            } else if (level instanceof TemplateLevel.SingleWildcard) {
                out.append('+');
            } else if (level instanceof TemplateLevel.MultiWildcard) {
                out.append('#');
            } else {
                out.append('v');
            }
        }
        return out.toString();
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    public boolean hasVariables() {
        return !variables.isEmpty();
    }

    /** The distinct variables, as written between {@code ${} and {@code }}, in order of first use. */
    public List<String> variableNames() {
        List<String> names = new ArrayList<>(variables.size());
        for (TemplateVariable variable : variables) {
            names.add(variable.name());
        }
        return names;
    }

    List<TemplateLevel> levels() {
        return levels;
    }

    List<TemplateVariable> variables() {
        return variables;
    }

    /**
     * Substitutes the client's values. The result is an ordinary MQTT topic filter, or, when a
     * variable cannot be resolved (missing attribute, array value, or a value that is empty or holds
     * {@code +}, {@code #}, {@code /} or U+0000), no filter and the reason: the template then grants
     * this client nothing.
     */
    public Substitution substitute(Client client) {
        StringBuilder out = new StringBuilder(source.length() + 32);
        for (int i = 0; i < levels.size(); i++) {
            if (i > 0) {
                out.append('/');
            }
            TemplateLevel level = levels.get(i);
            if (level instanceof TemplateLevel.Literal literal) {
                out.append(literal.text());
            } else if (level instanceof TemplateLevel.SingleWildcard) {
                out.append('+');
            } else if (level instanceof TemplateLevel.MultiWildcard) {
                out.append('#');
            } else if (level instanceof TemplateLevel.Pattern pattern) {
                out.append(pattern.texts().get(0));
                for (int v = 0; v < pattern.variables().size(); v++) {
                    TemplateVariable.Value value = pattern.variables().get(v).resolve(client);
                    if (!value.isResolved()) {
                        return new Substitution(null, value.problem());
                    }
                    out.append(value.value()).append(pattern.texts().get(v + 1));
                }
            }
        }
        return new Substitution(out.toString(), null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicTemplate template && template.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    @Override
    public String toString() {
        return source;
    }

    /**
     * The outcome of {@link #substitute}: a topic filter, or {@code null} and the reason the template
     * grants nothing to that client.
     */
    public record Substitution(String filter, String problem) {
        public Substitution {
            if ((filter == null) == (problem == null)) {
                throw new IllegalArgumentException("exactly one of filter and problem must be set");
            }
        }

        public boolean grantsSomething() {
            return filter != null;
        }
    }
}
