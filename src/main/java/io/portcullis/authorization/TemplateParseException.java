package io.portcullis.authorization;

/**
 * A topic template (SPEC 3.3) that is not valid: a malformed or unknown variable, or an invalid
 * topic filter. {@link #position()} is the 0-based character index in the template.
 */
public final class TemplateParseException extends IllegalArgumentException {
    private final int position;
    private final String problem;

    public TemplateParseException(int position, String problem) {
        super("topic template is not valid at position " + position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    /** The 0-based character index in the template where the problem is. */
    public int position() {
        return position;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }
}
