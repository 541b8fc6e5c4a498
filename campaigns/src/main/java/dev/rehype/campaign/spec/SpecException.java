package dev.rehype.campaign.spec;

/**
 * A campaign spec that cannot be used: the message is one line naming the file, the line, the
 * field (a dotted path such as {@code faults[2].weight}) and what is wrong with it.
 */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final String field;
    private final String problem;

    public SpecException(String source, int line, String field, String problem) {
        super(source + ":" + line + ": " + (field.isEmpty() ? "" : "field '" + field + "': ") + problem);
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** 1-based line in the spec file. */
    public int line() {
        return line;
    }

    /** The field's dotted path, empty for the document as a whole. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
