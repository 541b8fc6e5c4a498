package dev.rehype.campaign.spec;

/**
 * When a fault may be armed, in virtual cycles from the start of the run: each run draws one
 * moment in [{@code fromCycles}, {@code toCycles}); the fault fires at the first chance it gets
 * from then on (for example the first execution of its point), or never (not activated).
 */
public record TriggerWindow(long fromCycles, long toCycles) {
    /** The default window: the AppVMs of the standard system work from boot to about 7 M cycles. */
    public static final TriggerWindow DEFAULT = new TriggerWindow(100_000, 6_000_000);
    /** The default on the Dom0-built I/O system, which runs ~12 M cycles (Dom0 builds the domains first). */
    public static final TriggerWindow IO_DEFAULT = new TriggerWindow(100_000, 10_000_000);

    public TriggerWindow {
        if (fromCycles < 0 || toCycles <= fromCycles) {
            throw new IllegalArgumentException("a trigger window needs 0 <= from < to, got [" + fromCycles + ", "
                    + toCycles + ")");
        }
    }

    @Override
    public String toString() {
        return "[" + fromCycles + ", " + toCycles + ")";
    }
}
