package dev.rehype.machine;

import dev.rehype.machine.snapshot.InterruptControllerState;

import java.util.Arrays;

/**
 * The machine's platform interrupt controller, modelled on the RISC-V PLIC. Devices raise
 * numbered sources; each source has a priority and is routed to one hart (as Xen routes a physical
 * IRQ to one CPU); each hart has a priority threshold and a set of sources it has claimed but not
 * yet completed (in service).
 *
 * <p>Sources are numbered {@code 1..sources()}; 0 means "no interrupt". Priorities are 0..7, and a
 * source of priority 0 is never delivered (it can still become pending). Raising is edge
 * triggered: it sets the pending bit, which {@link #claim} clears. A source becomes deliverable to
 * its hart when it is pending, its priority is above the hart's threshold, and its priority is above
 * that of every source in service on the hart. So an interrupt whose handler never signalled end
 * of interrupt ({@link #complete}) blocks every later interrupt of equal or lower priority on that
 * hart: exactly the inconsistency a hypervisor crash in the middle of a handler leaves behind, and
 * the reason recovery acknowledges interrupts left in service.
 *
 * <p>All of this is hardware state and survives a hypervisor crash.
 */
public final class InterruptController implements StateHashable, dev.rehype.machine.port.InterruptPort {
    /** Highest priority a source or threshold can hold. */
    public static final int MAX_PRIORITY = 7;

    private final int sources;
    private final int harts;
    /** Indexed by source number; entry 0 is unused. */
    private final int[] priority;
    private final int[] target;
    private final boolean[] pending;
    /** Indexed by hart. */
    private final int[] threshold;
    /** inService[hart][source]. */
    private final boolean[][] inService;

    /** A controller for sources {@code 1..sources} and harts {@code 0..harts-1}; all priorities 0, all routed to hart 0. */
    public InterruptController(int sources, int harts) {
        if (sources < 1) {
            throw new IllegalArgumentException("an interrupt controller needs at least 1 source, got " + sources);
        }
        if (harts < 1) {
            throw new IllegalArgumentException("an interrupt controller needs at least 1 hart, got " + harts);
        }
        this.sources = sources;
        this.harts = harts;
        this.priority = new int[sources + 1];
        this.target = new int[sources + 1];
        this.pending = new boolean[sources + 1];
        this.threshold = new int[harts];
        this.inService = new boolean[harts][sources + 1];
    }

    /** Number of sources; valid source numbers are 1..sources(). */
    public int sources() {
        return sources;
    }

    /** Number of harts; valid hart numbers are 0..harts()-1. */
    public int harts() {
        return harts;
    }

    /** Edge: marks {@code source} pending (idempotent while it is already pending). */
    public void raise(int source) {
        checkSource(source);
        pending[source] = true;
    }

    /** Sets the priority of {@code source}, 0 (never delivered) to {@value #MAX_PRIORITY}. */
    public void setPriority(int source, int newPriority) {
        checkSource(source);
        checkPriority("priority of source " + source, newPriority);
        priority[source] = newPriority;
    }

    /** Routes {@code source} to {@code hart}: only that hart sees it as deliverable or can claim it. */
    public void route(int source, int hart) {
        checkSource(source);
        checkHart(hart);
        target[source] = hart;
    }

    /** Sets the threshold of {@code hart}: only sources of a strictly higher priority are delivered. */
    public void setThreshold(int hart, int newThreshold) {
        checkHart(hart);
        checkPriority("threshold of hart " + hart, newThreshold);
        threshold[hart] = newThreshold;
    }

    /** True when some source could be claimed by {@code hart} now. */
    public boolean hasDeliverable(int hart) {
        return best(hart) != 0;
    }

    /**
     * Claims the highest-priority deliverable source of {@code hart} (ties go to the lowest source
     * number): clears its pending bit and puts it in service on the hart.
     *
     * @return the source claimed, or 0 if none is deliverable
     */
    public int claim(int hart) {
        int source = best(hart);
        if (source != 0) {
            pending[source] = false;
            inService[hart][source] = true;
        }
        return source;
    }

    /**
     * End of interrupt: takes {@code source} out of service on {@code hart}.
     *
     * @return false (and changes nothing) if the source was not in service on that hart
     */
    public boolean complete(int hart, int source) {
        checkHart(hart);
        checkSource(source);
        if (!inService[hart][source]) {
            return false;
        }
        inService[hart][source] = false;
        return true;
    }

    public int priority(int source) {
        checkSource(source);
        return priority[source];
    }

    /** The hart {@code source} is routed to. */
    public int target(int source) {
        checkSource(source);
        return target[source];
    }

    public boolean pending(int source) {
        checkSource(source);
        return pending[source];
    }

    public int threshold(int hart) {
        checkHart(hart);
        return threshold[hart];
    }

    /** The sources in service on {@code hart}, in ascending source order. */
    public int[] inService(int hart) {
        checkHart(hart);
        boolean[] claimed = inService[hart];
        int count = 0;
        for (int s = 1; s <= sources; s++) {
            if (claimed[s]) {
                count++;
            }
        }
        int[] result = new int[count];
        int i = 0;
        for (int s = 1; s <= sources; s++) {
            if (claimed[s]) {
                result[i++] = s;
            }
        }
        return result;
    }

    /** The highest priority among the sources in service on {@code hart}, or 0 if none is. */
    public int inServicePriority(int hart) {
        checkHart(hart);
        int highest = 0;
        boolean[] claimed = inService[hart];
        for (int s = 1; s <= sources; s++) {
            if (claimed[s] && priority[s] > highest) {
                highest = priority[s];
            }
        }
        return highest;
    }

    /** The source {@link #claim} would return, or 0. */
    private int best(int hart) {
        checkHart(hart);
        int floor = Math.max(threshold[hart], inServicePriority(hart));
        int bestSource = 0;
        int bestPriority = floor;
        for (int s = 1; s <= sources; s++) {
            if (pending[s] && target[s] == hart && priority[s] > bestPriority) {
                bestSource = s;
                bestPriority = priority[s];
            }
        }
        return bestSource;
    }

    private void checkSource(int source) {
        if (source < 1 || source > sources) {
            throw new IllegalArgumentException("interrupt source " + source
                    + " out of range: this controller has sources 1.." + sources);
        }
    }

    private void checkHart(int hart) {
        if (hart < 0 || hart >= harts) {
            throw new IllegalArgumentException("hart " + hart
                    + " out of range: this controller serves harts 0.." + (harts - 1));
        }
    }

    private static void checkPriority(String what, int value) {
        if (value < 0 || value > MAX_PRIORITY) {
            throw new IllegalArgumentException(what + " must be 0.." + MAX_PRIORITY + ", got " + value);
        }
    }

    /** This controller's state, for a snapshot. */
    public InterruptControllerState exportState() {
        boolean[][] claimed = new boolean[harts][];
        for (int h = 0; h < harts; h++) {
            claimed[h] = inService[h].clone();
        }
        return new InterruptControllerState(sources, harts, priority.clone(), target.clone(), pending.clone(),
                threshold.clone(), claimed);
    }

    /** Takes the state of a snapshot of a controller of the same shape. */
    public void importState(InterruptControllerState state) {
        if (state.sources() != sources || state.harts() != harts) {
            throw new IllegalArgumentException("snapshot of an interrupt controller with " + state.sources()
                    + " sources and " + state.harts() + " harts; this one has " + sources + " and " + harts);
        }
        for (int s = 1; s <= sources; s++) {
            checkPriority("priority of source " + s, state.priority()[s]);
            checkHart(state.target()[s]);
        }
        for (int h = 0; h < harts; h++) {
            checkPriority("threshold of hart " + h, state.threshold()[h]);
        }
        System.arraycopy(state.priority(), 0, priority, 0, priority.length);
        System.arraycopy(state.target(), 0, target, 0, target.length);
        System.arraycopy(state.pending(), 0, pending, 0, pending.length);
        System.arraycopy(state.threshold(), 0, threshold, 0, harts);
        for (int h = 0; h < harts; h++) {
            System.arraycopy(state.inService()[h], 0, inService[h], 0, sources + 1);
        }
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("interrupts").putInt(sources).putInt(harts);
        for (int s = 1; s <= sources; s++) {
            hasher.putInt(priority[s]).putInt(target[s]).putBoolean(pending[s]);
        }
        for (int h = 0; h < harts; h++) {
            hasher.putInt(threshold[h]);
            int[] claimed = inService(h);
            hasher.putInt(claimed.length);
            for (int s : claimed) {
                hasher.putInt(s);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("InterruptController[");
        for (int h = 0; h < harts; h++) {
            sb.append(h == 0 ? "" : ", ").append("hart").append(h).append(" threshold=").append(threshold[h])
                    .append(" inService=").append(Arrays.toString(inService(h)));
        }
        return sb.append(']').toString();
    }
}
