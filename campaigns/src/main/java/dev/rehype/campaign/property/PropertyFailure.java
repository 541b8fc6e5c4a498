package dev.rehype.campaign.property;

/**
 * A recovery property that does not hold: the message says everything needed to understand and
 * replay it (seed and try, the plan, the shrunk plan, the shrink steps, replay commands); the
 * cause is the shrunk plan's own failure, with the property's stack trace.
 */
public final class PropertyFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    public PropertyFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
