package dev.rehype.hypervisor.image;

/**
 * The hypervisor's watchdog, on virtual time: it bounds how long one physical CPU may stay inside
 * the hypervisor for one trap. Hypervisor code that loops without bound of its own — a spin on a
 * lock, a hang placed at a fault point — charges the virtual cycles of every iteration with
 * {@link #charge}; once a trap's charged cycles pass the bound, the charge throws
 * {@link WatchdogExpired}, which breaks the hang and escapes the hypervisor to whoever recovers it.
 *
 * <p>One watchdog per thread (a system runs on one thread, so parallel runs never share one):
 * whoever takes traps ({@code Rehype}) {@link #install}s one and calls {@link #enter} at every
 * trap. A thread that charges without one gets a watchdog of the default bound, so no spin in the
 * hypervisor is ever endless. Nothing here reads a wall clock: the same run expires at the same
 * virtual cycle.
 */
public final class Watchdog {
    /**
     * Default bound: 1,000,000 virtual cycles (ten scheduler ticks) inside the hypervisor for one
     * trap. A normal trap costs a few hundred cycles, so only a hang comes near it.
     */
    public static final long DEFAULT_BOUND_CYCLES = 1_000_000;

    private static final ThreadLocal<Watchdog> CURRENT = new ThreadLocal<>();

    private final long boundCycles;
    private int cpu = -1;
    private long entryCycles;
    private long chargedCycles;

    /** A watchdog that expires when one trap has charged more than {@code boundCycles}. */
    public Watchdog(long boundCycles) {
        if (boundCycles < 1) {
            throw new IllegalArgumentException("the watchdog bound must be >= 1 cycle, got " + boundCycles);
        }
        this.boundCycles = boundCycles;
    }

    /** Makes {@code watchdog} the one this thread's hypervisor code charges. */
    public static void install(Watchdog watchdog) {
        CURRENT.set(watchdog);
    }

    /** This thread's watchdog (one of the default bound if none was installed). */
    public static Watchdog current() {
        Watchdog w = CURRENT.get();
        if (w == null) {
            w = new Watchdog(DEFAULT_BOUND_CYCLES);
            CURRENT.set(w);
        }
        return w;
    }

    /** Charges {@code cycles} of work to the current trap; throws {@link WatchdogExpired} past the bound. */
    public static void charge(long cycles) {
        current().chargeCycles(cycles);
    }

    /** Starts the count for a trap taken by {@code cpu} at virtual time {@code nowCycles}. */
    public void enter(int cpu, long nowCycles) {
        this.cpu = cpu;
        this.entryCycles = nowCycles;
        this.chargedCycles = 0;
    }

    private void chargeCycles(long cycles) {
        chargedCycles += cycles;
        if (chargedCycles > boundCycles) {
            // An expiry starts a new period, so that a thread nobody calls enter on still bounds
            // every hang the same way.
            long spent = chargedCycles;
            entryCycles += spent;
            chargedCycles = 0;
            throw new WatchdogExpired(cpu, entryCycles, spent, boundCycles);
        }
    }

    public long boundCycles() {
        return boundCycles;
    }

    /** The CPU of the current trap (-1 before the first). */
    public int cpu() {
        return cpu;
    }

    /** Virtual cycles charged since the current trap was entered (or the last expiry). */
    public long chargedCycles() {
        return chargedCycles;
    }
}
