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
 *
 * <p>The Java hypervisor's own work costs no virtual time, so a loop that a fault sends round for
 * ever (a mutated bound, a flipped count, a cycle in a corrupted list) would charge nothing. Every
 * image therefore counts its loops: {@link LoopMeter} puts a call to {@link #loop} before every
 * backward branch of the core's code, and between {@link #enter} and {@link #leave} each call is
 * one loop iteration of the current trap (or recovery). No iteration of a real CPU's loop costs
 * less than a cycle, so a trap's iterations are bounded by the watchdog's bound in cycles (a
 * recovery's by a bound its caller gives); past it the watchdog expires as it does for charged
 * cycles, counting each iteration as one cycle. The deepest trap of the standard systems runs
 * about 17,000 iterations (Dom0 building a 64 MiB AppVM). Iterations are only counted, never added to the
 * machine's time, so a run that stays under the bound ends exactly as without the meter; outside
 * a period (boot, the host's reads of the hypervisor) they are not counted.
 */
public final class Watchdog {
    /**
     * Default bound: 1,000,000 virtual cycles (ten scheduler ticks) inside the hypervisor for one
     * trap. A normal trap costs a few hundred cycles, so only a hang comes near it.
     */
    public static final long DEFAULT_BOUND_CYCLES = 1_000_000;

    private static final ThreadLocal<Watchdog> CURRENT = new ThreadLocal<>();
    /**
     * The watchdog installed first by a thread that still lives: its thread's loops find it
     * without a thread-local lookup (every other thread's take the lookup).
     */
    private static Watchdog first;

    private final long boundCycles;
    private Thread owner;
    private int cpu = -1;
    private long entryCycles;
    private long chargedCycles;
    private boolean metering;
    private long loopBound;
    private long loopIterations;
    private long maxLoopIterations;

    /** A watchdog that expires when one trap has charged more than {@code boundCycles}. */
    public Watchdog(long boundCycles) {
        if (boundCycles < 1) {
            throw new IllegalArgumentException("the watchdog bound must be >= 1 cycle, got " + boundCycles);
        }
        this.boundCycles = boundCycles;
        this.loopBound = boundCycles;
    }

    /** Makes {@code watchdog} the one this thread's hypervisor code charges. */
    public static void install(Watchdog watchdog) {
        Thread t = Thread.currentThread();
        if (CURRENT.get() == watchdog && (watchdog == null || watchdog.owner == t)) {
            return;
        }
        CURRENT.set(watchdog);
        if (watchdog != null) {
            watchdog.owner = t;
        }
        Watchdog f = first;
        if (f != null && f != watchdog && f.owner == t) {
            first = watchdog;
        } else if (watchdog != null && (f == null || f.owner == null || !f.owner.isAlive())) {
            first = watchdog;
        }
    }

    /**
     * One iteration of a loop of the hypervisor's code (called before every backward branch of
     * an image): counted against the current period's loop bound; throws {@link WatchdogExpired}
     * past it. Does nothing outside a period.
     */
    public static void loop() {
        Watchdog w = first;
        if (w == null || w.owner != Thread.currentThread()) {
            w = CURRENT.get();
            if (w == null) {
                return;
            }
        }
        if (w.metering && ++w.loopIterations > w.loopBound) {
            w.loopsExpired();
        }
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
        enter(cpu, nowCycles, boundCycles);
    }

    /** As {@link #enter(int, long)}, with a loop bound of {@code loopBound} iterations for this period. */
    public void enter(int cpu, long nowCycles, long loopBound) {
        if (loopBound < 1) {
            throw new IllegalArgumentException("the loop bound must be >= 1 iteration, got " + loopBound);
        }
        endPeriod();
        this.cpu = cpu;
        this.entryCycles = nowCycles;
        this.chargedCycles = 0;
        this.loopBound = loopBound;
        this.metering = true;
    }

    /** Ends the current period: loops are not counted until the next {@link #enter}. */
    public void leave() {
        endPeriod();
        metering = false;
    }

    private void endPeriod() {
        if (metering && loopIterations > maxLoopIterations) {
            maxLoopIterations = loopIterations;
        }
        loopIterations = 0;
    }

    private void loopsExpired() {
        long spent = chargedCycles + loopIterations;
        long iterations = loopIterations;
        loopIterations = 0;
        entryCycles += spent;
        chargedCycles = 0;
        throw new WatchdogExpired(cpu, entryCycles, spent, boundCycles,
                "cpu " + cpu + " inside the hypervisor for " + iterations + " loop iterations (loop bound "
                        + loopBound + ")");
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

    /** Loop iterations counted since the current period was entered (or the last expiry). */
    public long loopIterations() {
        return loopIterations;
    }

    /** The most loop iterations any ended period of this watchdog counted without expiring. */
    public long maxLoopIterations() {
        return maxLoopIterations;
    }

    /** Virtual cycles charged since the current trap was entered (or the last expiry). */
    public long chargedCycles() {
        return chargedCycles;
    }
}
