package dev.rehype.campaign;

/**
 * The class of one injection run (DESIGN §2.7). A fault that never fired is
 * {@link #NOT_ACTIVATED}, never a success; the recovery rate is {@link #RECOVERED} over
 * {@link #RECOVERED} plus {@link #NOT_RECOVERED} (every detected run).
 */
public enum Outcome {
    /** The fault never fired. */
    NOT_ACTIVATED,
    /** The fault fired, nothing was detected and every VM finished with the golden output. */
    NOT_MANIFESTED,
    /** Detected, recovered: every AppVM finished with the golden output and the system still accepts management operations. */
    RECOVERED,
    /** Detected, not recovered; {@link Reason} says why. */
    NOT_RECOVERED,
    /** A failure that nothing detected (wrong output, VM crash or hang); {@link Reason} says which. */
    UNDETECTED;

    /** True for the outcomes in the recovery rate's denominator. */
    public boolean detected() {
        return this == RECOVERED || this == NOT_RECOVERED;
    }
}
