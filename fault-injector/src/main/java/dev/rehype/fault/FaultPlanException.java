package dev.rehype.fault;

/** A fault plan that cannot be read or applied; the message names what is wrong and where. */
public final class FaultPlanException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FaultPlanException(String message) {
        super(message);
    }
}
