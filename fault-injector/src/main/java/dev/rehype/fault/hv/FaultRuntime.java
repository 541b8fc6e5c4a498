package dev.rehype.fault.hv;

import dev.rehype.machine.Hart;

import java.util.ArrayList;
import java.util.List;

/**
 * What the probes and guards that {@link FaultTransformer} writes into the hypervisor call. The
 * faults armed for the current thread (a run executes on one thread, so parallel runs never share
 * them, as with {@code Probes}) decide: a value probe counts its executions and flips one bit of
 * the value when an armed fault's countdown reaches zero; a guard answers whether the mutant of
 * its instruction runs (from the armed execution on, for good). Counting starts when a fault is
 * enabled (its trigger time), only inside hypervisor entries (the host's own reads of the
 * hypervisor — domain lists, audits — and boot neither count nor see a fault) and, for faults
 * bound to a handler, only inside that handler. A profile run counts every site's executions.
 */
public final class FaultRuntime implements EntryHook {
    private static final ThreadLocal<FaultRuntime> CURRENT = new ThreadLocal<>();
    /**
     * The runtime installed last, whichever thread did it: probes on that thread find it without a
     * thread-local lookup (its owner is final, so a stale read only sends a probe to the slow path).
     */
    private static FaultRuntime last;
    /**
     * How many installed runtimes, on any thread, arm a mutant at each site (by site id; copied on
     * every change, which happens once or twice a run): the guards of every other site answer
     * "no" without looking up their thread's runtime. Not volatile on purpose: a thread always
     * sees the arms it made itself (they are all a guard must see); another thread's arm seen late
     * or early only sends a guard to the runtime lookup, which answers for that thread alone.
     */
    private static int[] mutantArms = new int[0];
    /**
     * Value arms, on any thread, that have not fired yet: while there is none, value probes return
     * their value at once (a run whose register flip is made runs on at the probes' bare cost until
     * its image is switched back). Plain for the same reason as {@link #mutantArms}.
     */
    private static int liveValueArms;
    private static final ValueArm[] NO_VALUES = new ValueArm[0];
    private static final MutantArm[] NO_MUTANTS = new MutantArm[0];

    private final SiteCatalog catalog;
    private final Thread owner = Thread.currentThread();
    private ValueArm[] values = NO_VALUES;
    private MutantArm[] mutants = NO_MUTANTS;
    /** What the hypervisor is entered for, or null outside hypervisor entries (host reads, boot). */
    private String context;
    private Hart hart;
    private long valueExecutions;
    private long[] counts;

    private FaultRuntime(SiteCatalog catalog) {
        this.catalog = catalog;
    }

    /** A runtime with nothing armed, installed for this thread. */
    public static FaultRuntime install(SiteCatalog catalog) {
        FaultRuntime previous = CURRENT.get();
        if (previous != null) {
            previous.releaseArms();
        }
        FaultRuntime r = new FaultRuntime(catalog);
        CURRENT.set(r);
        last = r;
        return r;
    }

    /** Removes this thread's runtime (probes then return their values unchanged). */
    public static void clear() {
        FaultRuntime mine = CURRENT.get();
        if (mine != null) {
            mine.releaseArms();
        }
        FaultRuntime l = last;
        if (l != null && l.owner == Thread.currentThread()) {
            last = null;
        }
        CURRENT.remove();
    }

    /** This thread's runtime, or null. */
    private static FaultRuntime current() {
        FaultRuntime l = last;
        return l != null && l.owner == Thread.currentThread() ? l : CURRENT.get();
    }

    /** One register fault: a bit of the value at {@code site} (-1: any site) flipped at the {@code nth} counted execution. */
    public static final class ValueArm {
        final int site;
        final int bit;
        final String inside;
        long countdown;
        boolean enabled;
        boolean fired;
        int firedSite = -1;
        String before = "";
        String after = "";
        long atCycles = -1;

        ValueArm(int site, int bit, long nth, String inside) {
            this.site = site;
            this.bit = bit;
            this.countdown = nth;
            this.inside = inside;
        }

        boolean due(int at, String ctx) {
            return ctx != null && enabled && !fired && (site < 0 || site == at) && (inside.isEmpty() || inside.equals(ctx))
                    && --countdown == 0;
        }

        public void enable() {
            enabled = true;
        }

        public boolean enabled() {
            return enabled;
        }

        public boolean fired() {
            return fired;
        }

        /** The site whose value was flipped, -1 before firing. */
        public int firedSite() {
            return firedSite;
        }

        public String before() {
            return before;
        }

        public String after() {
            return after;
        }

        public long atCycles() {
            return atCycles;
        }
    }

    /** One code fault: the mutant at {@code site} runs from the {@code nth} counted execution on. */
    public static final class MutantArm {
        final int site;
        final String inside;
        long countdown;
        boolean enabled;
        boolean active;
        long executions;
        long atCycles = -1;

        MutantArm(int site, long nth, String inside) {
            this.site = site;
            this.countdown = nth;
            this.inside = inside;
        }

        public void enable() {
            enabled = true;
        }

        public boolean enabled() {
            return enabled;
        }

        public boolean active() {
            return active;
        }

        /**
         * Executions of the guarded instruction from the trigger on (inside the handler the fault is
         * bound to, if any; every one once the mutant is active), counted by any image with the guard.
         */
        public long executions() {
            return executions;
        }

        public long atCycles() {
            return atCycles;
        }
    }

    public ValueArm armValue(int site, int bit, long nth, String inside) {
        ValueArm a = new ValueArm(site, bit, nth, inside);
        countValueArms(1);
        List<ValueArm> l = new ArrayList<>(List.of(values));
        l.add(a);
        values = l.toArray(NO_VALUES);
        return a;
    }

    public MutantArm armMutant(int site, long nth, String inside) {
        MutantArm a = new MutantArm(site, nth, inside);
        countMutantArm(site, 1);
        List<MutantArm> l = new ArrayList<>(List.of(mutants));
        l.add(a);
        mutants = l.toArray(NO_MUTANTS);
        return a;
    }

    /** Takes this runtime's mutant arms and unfired value arms out of the shared counts (once). */
    private void releaseArms() {
        for (MutantArm a : mutants) {
            countMutantArm(a.site, -1);
        }
        mutants = NO_MUTANTS;
        for (ValueArm a : values) {
            if (!a.fired) {
                countValueArms(-1);
            }
        }
        values = NO_VALUES;
    }

    private static synchronized void countValueArms(int delta) {
        liveValueArms += delta;
    }

    private static synchronized void countMutantArm(int site, int delta) {
        int[] now = mutantArms;
        int[] next = java.util.Arrays.copyOf(now, Math.max(now.length, site + 1));
        next[site] += delta;
        mutantArms = next;
    }

    /** Starts counting the executions of every site that has a counter (a profile run). */
    public void countSites() {
        counts = new long[catalog.sites().size()];
    }

    /** Executions of each site with a counter so far (by site id), or null when not counting. */
    public long[] siteCounts() {
        return counts == null ? null : counts.clone();
    }

    /** Value probes executed so far while a value arm was live on some thread (for the overhead figure). */
    public long valueExecutions() {
        return valueExecutions;
    }

    @Override
    public void enter(Hart hart, String context) {
        this.hart = hart;
        this.context = context;
    }

    @Override
    public void leave(Hart hart) {
        this.context = null;
    }

    private long now() {
        return hart == null ? -1 : hart.timeCycles();
    }

    private int bitFor(ValueArm a, int site) {
        int width = catalog.site(site).valueBits();
        return a.bit % Math.max(1, width);
    }

    private void record(ValueArm a, int site, String before, String after) {
        a.fired = true;
        countValueArms(-1);
        a.firedSite = site;
        a.before = before;
        a.after = after;
        a.atCycles = now();
    }

    // ------------------------------------------------------------------ called by instrumented code

    public static int valueI(int v, int site) {
        if (liveValueArms == 0) {
            return v;
        }
        FaultRuntime r = current();
        if (r == null) {
            return v;
        }
        r.valueExecutions++;
        for (ValueArm a : r.values) {
            if (a.due(site, r.context)) {
                int out = v ^ (1 << r.bitFor(a, site));
                r.record(a, site, hex(v), hex(out));
                return out;
            }
        }
        return v;
    }

    public static long valueJ(long v, int site) {
        if (liveValueArms == 0) {
            return v;
        }
        FaultRuntime r = current();
        if (r == null) {
            return v;
        }
        r.valueExecutions++;
        for (ValueArm a : r.values) {
            if (a.due(site, r.context)) {
                long out = v ^ (1L << r.bitFor(a, site));
                r.record(a, site, Long.toHexString(v), Long.toHexString(out));
                return out;
            }
        }
        return v;
    }

    public static float valueF(float v, int site) {
        if (liveValueArms == 0) {
            return v;
        }
        FaultRuntime r = current();
        if (r == null) {
            return v;
        }
        r.valueExecutions++;
        for (ValueArm a : r.values) {
            if (a.due(site, r.context)) {
                int bits = Float.floatToRawIntBits(v);
                int out = bits ^ (1 << r.bitFor(a, site));
                r.record(a, site, hex(bits), hex(out));
                return Float.intBitsToFloat(out);
            }
        }
        return v;
    }

    public static double valueD(double v, int site) {
        if (liveValueArms == 0) {
            return v;
        }
        FaultRuntime r = current();
        if (r == null) {
            return v;
        }
        r.valueExecutions++;
        for (ValueArm a : r.values) {
            if (a.due(site, r.context)) {
                long bits = Double.doubleToRawLongBits(v);
                long out = bits ^ (1L << r.bitFor(a, site));
                r.record(a, site, Long.toHexString(bits), Long.toHexString(out));
                return Double.longBitsToDouble(out);
            }
        }
        return v;
    }

    public static void count(int site) {
        FaultRuntime r = current();
        if (r != null && r.counts != null && r.context != null) {
            r.counts[site]++;
        }
    }

    public static boolean mutant(int site) {
        int[] arms = mutantArms;
        if (site >= arms.length || arms[site] == 0) {
            return false;
        }
        FaultRuntime r = current();
        if (r == null || r.context == null) {
            return false;
        }
        for (MutantArm a : r.mutants) {
            if (a.site != site) {
                continue;
            }
            if (a.active) {
                a.executions++;
                return true;
            }
            if (a.enabled && (a.inside.isEmpty() || a.inside.equals(r.context))) {
                a.executions++;
            }
            if (a.enabled && (a.inside.isEmpty() || a.inside.equals(r.context)) && --a.countdown == 0) {
                a.active = true;
                a.atCycles = r.now();
                return true;
            }
        }
        return false;
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }
}
