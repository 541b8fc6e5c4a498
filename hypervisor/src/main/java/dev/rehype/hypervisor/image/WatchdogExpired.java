package dev.rehype.hypervisor.image;

/**
 * The {@link Watchdog} found a physical CPU inside the hypervisor, for one trap, for longer than
 * its bound of virtual time: the hang is broken here and the failure escapes the hypervisor like
 * a panic, but is detected as a watchdog expiry. Carries the CPU, the virtual time of expiry, the
 * cycles spent in the trap and the bound.
 */
public final class WatchdogExpired extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int cpu;
    private final long atCycles;
    private final long spentCycles;
    private final long boundCycles;

    public WatchdogExpired(int cpu, long atCycles, long spentCycles, long boundCycles) {
        this(cpu, atCycles, spentCycles, boundCycles, "cpu " + cpu + " inside the hypervisor for " + spentCycles
                + " cycles (bound " + boundCycles + ")");
    }

    /** An expiry described by {@code what} (the loop bound's, which counts iterations). */
    public WatchdogExpired(int cpu, long atCycles, long spentCycles, long boundCycles, String what) {
        super("watchdog: " + what);
        this.cpu = cpu;
        this.atCycles = atCycles;
        this.spentCycles = spentCycles;
        this.boundCycles = boundCycles;
    }

    public int cpu() {
        return cpu;
    }

    /** Virtual time at which the bound was passed. */
    public long atCycles() {
        return atCycles;
    }

    /** Virtual cycles the CPU had spent inside the hypervisor for this trap. */
    public long spentCycles() {
        return spentCycles;
    }

    public long boundCycles() {
        return boundCycles;
    }
}
