package dev.rehype.hypervisor.probe;

import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.hypervisor.image.WatchdogExpired;

import java.util.ArrayList;
import java.util.List;

/**
 * What instrumented hypervisor code calls at its fault points: {@code Probes.hit(id)}. The probes
 * armed for the current thread (a run executes on one thread, so parallel runs never share
 * probes) decide what happens when an armed point has been reached the chosen number of times:
 * a failstop ({@link #armFailstop}: the hypervisor stops at once, {@link InjectedFailstop}) or a
 * hang ({@link #armHang}: the CPU spins where it is, charging {@link #HANG_SPIN_CYCLES} per turn
 * to the {@link Watchdog} until the watchdog breaks the spin with {@link WatchdogExpired}). Every
 * hit is counted, so a point that was never reached is reported as not activated.
 */
public final class Probes {
    /** Virtual cycles one turn of an armed hang's spin costs. */
    public static final long HANG_SPIN_CYCLES = 100;

    private static final ThreadLocal<Probes> CURRENT = new ThreadLocal<>();

    private final List<FaultPoint> points = new ArrayList<>();
    private final long[] hits;
    private final long[] failAtHit;
    private final boolean hang;
    private String fired;

    private Probes(List<FaultPoint> points, long[] failAtHit, boolean hang) {
        this.points.addAll(points);
        this.hits = new long[points.size()];
        this.failAtHit = failAtHit.clone();
        this.hang = hang;
    }

    /**
     * Arms, for this thread, a failstop at the {@code nthHit}-th execution of {@code point}
     * (1-based); {@code registered} lists every instrumented point, in id order.
     */
    public static Probes armFailstop(List<FaultPoint> registered, FaultPoint point, long nthHit) {
        return arm(registered, point, nthHit, false);
    }

    /**
     * Arms, for this thread, a hang at the {@code nthHit}-th execution of {@code point} (1-based):
     * the CPU spins there until the watchdog expires; {@code registered} lists every instrumented
     * point, in id order.
     */
    public static Probes armHang(List<FaultPoint> registered, FaultPoint point, long nthHit) {
        return arm(registered, point, nthHit, true);
    }

    private static Probes arm(List<FaultPoint> registered, FaultPoint point, long nthHit, boolean hang) {
        long[] at = new long[registered.size()];
        int id = registered.indexOf(point);
        if (id < 0) {
            throw new IllegalArgumentException("fault point " + point + " is not instrumented");
        }
        at[id] = nthHit;
        Probes p = new Probes(registered, at, hang);
        CURRENT.set(p);
        return p;
    }

    /** Counts hits only (the golden run of an instrumented image). */
    public static Probes countOnly(List<FaultPoint> registered) {
        Probes p = new Probes(registered, new long[registered.size()], false);
        CURRENT.set(p);
        return p;
    }

    /** This thread's armed probes, or null. */
    public static Probes current() {
        return CURRENT.get();
    }

    /**
     * Makes {@code probes} (armed before, e.g. by {@link #armFailstop}) this thread's again, or
     * disarms with null: the fault injector suspends counting outside a chosen handler this way.
     */
    public static void install(Probes probes) {
        if (probes == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(probes);
        }
    }

    /** Disarms this thread's probes. */
    public static void clear() {
        CURRENT.remove();
    }

    /** Called by instrumented code at fault point {@code id}. */
    public static void hit(int id) {
        Probes p = CURRENT.get();
        if (p != null) {
            p.reached(id);
        }
    }

    private void reached(int id) {
        long n = ++hits[id];
        if (failAtHit[id] != 0 && n == failAtHit[id]) {
            fired = points.get(id).toString();
            if (!hang) {
                throw new InjectedFailstop(fired);
            }
            for (;;) {
                Watchdog.charge(HANG_SPIN_CYCLES);
            }
        }
    }

    public long hits(FaultPoint point) {
        int id = points.indexOf(point);
        return id < 0 ? 0 : hits[id];
    }

    /** The point whose failstop or hang fired, or null (not activated). */
    public String fired() {
        return fired;
    }
}
