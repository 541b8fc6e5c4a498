package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A credit-style scheduler (after Xen's credit1): per-pCPU run queues of runnable vCPUs, vCPUs
 * with credit left (UNDER) before those without (OVER), FIFO within each; a running vCPU pays
 * credit every tick and is preempted after a time slice when others wait; credit is refilled
 * every accounting period; an idle pCPU steals work from the others. The queues, the current
 * pointers and the tick times live on the image's heap and are rebuilt from the preserved vCPU
 * states ({@link #rebuild()}); credits and states are preserved.
 */
final class Scheduler {
    static final long TICK_CYCLES = 100_000;
    static final int CREDIT_PER_TICK = 100;
    static final int SLICE_TICKS = 3;
    static final int REFILL_TICKS = 30;
    static final int CREDIT_REFILL = 3000;
    static final int CREDIT_CAP = 3000;

    private final CoreState state;
    private final int cpus;
    private final ArrayDeque<Integer>[] runq;
    private final boolean[] queued;
    final int[] current;
    final boolean[] needResched;
    final long[] nextTickCycles;
    private final int[] sliceLeft;
    private long ticks;

    @SuppressWarnings("unchecked")
    Scheduler(CoreState state, int cpus) {
        this.state = state;
        this.cpus = cpus;
        this.runq = new ArrayDeque[cpus];
        for (int c = 0; c < cpus; c++) {
            runq[c] = new ArrayDeque<>();
        }
        this.queued = new boolean[state.maxDomains() * state.maxVcpus()];
        this.current = new int[cpus];
        this.needResched = new boolean[cpus];
        this.nextTickCycles = new long[cpus];
        this.sliceLeft = new int[cpus];
        java.util.Arrays.fill(current, -1);
    }

    int domid(int vid) {
        return vid / state.maxVcpus();
    }

    int vcpuid(int vid) {
        return vid % state.maxVcpus();
    }

    int vid(int domid, int vcpuid) {
        return domid * state.maxVcpus() + vcpuid;
    }

    int vstate(int vid) {
        return state.vcpu(domid(vid), vcpuid(vid), VcpuLayout.STATE);
    }

    void setVstate(int vid, int s, long nowCycles) {
        int d = domid(vid);
        int v = vcpuid(vid);
        int old = state.vcpu(d, v, VcpuLayout.STATE);
        if (old == s) {
            return;
        }
        long entry = state.vcpu64(d, v, VcpuLayout.RUNSTATE_ENTRY);
        long slot = VcpuLayout.RUNSTATE_TIME + 8L * runstateIndex(old);
        state.vcpu64(d, v, slot, state.vcpu64(d, v, slot) + Math.max(0, nowCycles - entry));
        state.vcpu64(d, v, VcpuLayout.RUNSTATE_ENTRY, nowCycles);
        state.vcpu(d, v, VcpuLayout.STATE, s);
    }

    /** Xen's runstate order: running, runnable, blocked, offline. */
    static int runstateIndex(int vcpuState) {
        return switch (vcpuState) {
            case VcpuLayout.STATE_RUNNING -> 0;
            case VcpuLayout.STATE_RUNNABLE -> 1;
            case VcpuLayout.STATE_BLOCKED -> 2;
            default -> 3;
        };
    }

    int processor(int vid) {
        return state.vcpu(domid(vid), vcpuid(vid), VcpuLayout.PROCESSOR);
    }

    boolean canRun(int vid) {
        int d = domid(vid);
        return vstate(vid) == VcpuLayout.STATE_RUNNABLE && state.domainActive(d)
                && state.dom(d, DomainLayout.PAUSE_COUNT) == 0;
    }

    void enqueue(int vid) {
        if (!queued[vid]) {
            queued[vid] = true;
            runq[processor(vid)].addLast(vid);
        }
    }

    boolean hasWaiting(int cpu) {
        for (int vid : runq[cpu]) {
            if (canRun(vid)) {
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the vCPU {@code cpu} should run next, or -1 (idle). */
    int pick(int cpu) {
        int chosen = take(cpu, true);
        if (chosen < 0) {
            chosen = take(cpu, false);
        }
        for (int other = 0; chosen < 0 && other < cpus; other++) {
            if (other != cpu) {
                chosen = take(other, false);
            }
        }
        if (chosen >= 0) {
            state.vcpu(domid(chosen), vcpuid(chosen), VcpuLayout.PROCESSOR, cpu);
            sliceLeft[cpu] = SLICE_TICKS;
        }
        return chosen;
    }

    private int take(int cpu, boolean underOnly) {
        Iterator<Integer> it = runq[cpu].iterator();
        while (it.hasNext()) {
            int vid = it.next();
            if (!canRun(vid)) {
                if (vstate(vid) != VcpuLayout.STATE_RUNNABLE) {
                    it.remove();
                    queued[vid] = false;
                }
                continue;
            }
            if (underOnly && credit(vid) <= 0) {
                continue;
            }
            it.remove();
            queued[vid] = false;
            return vid;
        }
        return -1;
    }

    int credit(int vid) {
        return state.vcpu(domid(vid), vcpuid(vid), VcpuLayout.CREDIT);
    }

    /** Accounts one tick on {@code cpu}; true when the running vCPU's slice is over and others wait. */
    boolean tick(int cpu) {
        int cur = current[cpu];
        if (cpu == 0 && ++ticks % REFILL_TICKS == 0) {
            refill();
        }
        if (cur < 0) {
            return hasWaiting(cpu);
        }
        state.vcpu(domid(cur), vcpuid(cur), VcpuLayout.CREDIT, credit(cur) - CREDIT_PER_TICK);
        return --sliceLeft[cpu] <= 0 && hasWaiting(cpu);
    }

    private void refill() {
        for (int vid = 0; vid < queued.length; vid++) {
            int d = domid(vid);
            if (state.domainActive(d) && vstate(vid) != VcpuLayout.STATE_OFFLINE) {
                state.vcpu(d, vcpuid(vid), VcpuLayout.CREDIT, Math.min(CREDIT_CAP, credit(vid) + CREDIT_REFILL));
            }
        }
    }

    dev.rehype.hypervisor.image.CoreHeapState save(boolean[] consoleLineStart) {
        int[][] queues = new int[cpus][];
        for (int c = 0; c < cpus; c++) {
            queues[c] = runq[c].stream().mapToInt(Integer::intValue).toArray();
        }
        return new dev.rehype.hypervisor.image.CoreHeapState(current.clone(), needResched.clone(),
                nextTickCycles.clone(), sliceLeft.clone(), ticks, queues, consoleLineStart.clone());
    }

    void restore(dev.rehype.hypervisor.image.CoreHeapState s) {
        if (s.current().length != cpus || s.runQueues().length != cpus) {
            throw new IllegalArgumentException("heap state is for " + s.current().length + " cpus, not " + cpus);
        }
        System.arraycopy(s.current(), 0, current, 0, cpus);
        System.arraycopy(s.needResched(), 0, needResched, 0, cpus);
        System.arraycopy(s.nextTickCycles(), 0, nextTickCycles, 0, cpus);
        System.arraycopy(s.sliceLeft(), 0, sliceLeft, 0, cpus);
        ticks = s.ticks();
        java.util.Arrays.fill(queued, false);
        for (int c = 0; c < cpus; c++) {
            runq[c].clear();
            for (int vid : s.runQueues()[c]) {
                runq[c].addLast(vid);
                queued[vid] = true;
            }
        }
    }

    /** Forgets all heap state (recovery: what is not preserved starts afresh). */
    void resetHeap(long now) {
        for (int c = 0; c < cpus; c++) {
            runq[c].clear();
            current[c] = -1;
            needResched[c] = false;
            nextTickCycles[c] = now + TICK_CYCLES;
            sliceLeft[c] = SLICE_TICKS;
        }
        java.util.Arrays.fill(queued, false);
    }

    /** Rebuilds the run queues from the preserved vCPU states, in vCPU order. */
    void rebuild() {
        for (int c = 0; c < cpus; c++) {
            runq[c].clear();
        }
        java.util.Arrays.fill(queued, false);
        for (int vid = 0; vid < queued.length; vid++) {
            if (state.domainActive(domid(vid)) && vstate(vid) == VcpuLayout.STATE_RUNNABLE) {
                enqueue(vid);
            }
        }
    }

    /** Invariant: queued vCPUs are exactly those the queues hold, each once. */
    void check() {
        boolean[] seen = new boolean[queued.length];
        for (int c = 0; c < cpus; c++) {
            for (int vid : runq[c]) {
                if (seen[vid] || !queued[vid]) {
                    throw new HypervisorPanic("run queue of cpu " + c + " is inconsistent at vcpu " + vid);
                }
                seen[vid] = true;
            }
        }
        for (int c = 0; c < cpus; c++) {
            int cur = current[c];
            if (cur >= 0 && queued[cur]) {
                throw new HypervisorPanic("vcpu " + cur + " runs on cpu " + c + " and waits in a queue");
            }
        }
    }
}
