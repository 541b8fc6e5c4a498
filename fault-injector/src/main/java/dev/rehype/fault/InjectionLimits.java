package dev.rehype.fault;

/**
 * Bounds of one injection run: the virtual cycles it may run ({@code maxCycles}, from its start),
 * and the window in which the seed places trigger times left open ({@code [0, choiceWindowCycles)}
 * from the start), with the largest count it picks for an open {@code nth}.
 */
public record InjectionLimits(long maxCycles, long choiceWindowCycles) {
    /** The standard system's run limit, and a window inside its first 5 M cycles (all its VMs busy). */
    public static final InjectionLimits DEFAULT = new InjectionLimits(10_000_000_000L, 5_000_000L);

    public InjectionLimits {
        if (maxCycles < 1) {
            throw new IllegalArgumentException("maxCycles must be >= 1, got " + maxCycles);
        }
        if (choiceWindowCycles < 1) {
            throw new IllegalArgumentException("choiceWindowCycles must be >= 1, got " + choiceWindowCycles);
        }
    }

    public InjectionLimits withMaxCycles(long cycles) {
        return new InjectionLimits(cycles, choiceWindowCycles);
    }
}
