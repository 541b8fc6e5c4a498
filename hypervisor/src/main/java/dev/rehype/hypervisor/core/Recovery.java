package dev.rehype.hypervisor.core;

import dev.rehype.hypervisor.image.HypervisorEntry;
import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairResult;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.region.layout.CoreHeaderLayout;
import dev.rehype.region.layout.VcpuLayout;
import dev.rehype.machine.port.HartPort;

import java.util.ArrayList;
import java.util.List;

/**
 * Recovery mode of the core (ReHype's recovery boot, NiLiHype's reset): save the guest context of
 * every CPU that was running a guest when another one failed, start what is not preserved afresh
 * (run queues, current pointers, tick times, the timer hardware), run the enabled repair steps in
 * their fixed order, and resume every CPU. Idempotent: running it twice leaves the same state.
 */
final class Recovery {
    private final Hypervisor hv;

    Recovery(Hypervisor hv) {
        this.hv = hv;
    }

    List<RepairResult> run(RecoveryPolicy policy, int failedCpu) {
        long now = failedCpu >= 0 ? hv.machine.hart(failedCpu).timeCycles() : hv.machine.nowCycles();
        boolean hypercallCut = hypercallInProgress() || hv.st.header(CoreHeaderLayout.SCAN_PENDING) != 0;
        hv.st.header(CoreHeaderLayout.SCAN_PENDING, hypercallCut ? 1 : 0);
        if (failedCpu != HypervisorEntry.CONTEXTS_SAVED) {
            for (int c = 0; c < hv.cpus; c++) {
                int vid = runningOn(c);
                if (c != failedCpu && vid >= 0) {
                    hv.saveContext(vid, hv.machine.hart(c));
                }
            }
            for (int c = 0; c < hv.cpus; c++) {
                hv.machine.hart(c).contextSaved();
            }
        }
        hv.sched.resetHeap(now);
        for (int c = 0; c < hv.cpus; c++) {
            hv.sched.current[c] = runningOn(c);
            hv.machine.timer(c).cancel();
        }
        hv.resetConsoleLines();
        List<RepairResult> results = new ArrayList<>();
        for (RepairStep step : RepairStep.values()) {
            if (!policy.has(step)) {
                results.add(new RepairResult(step, false, List.of(), 0));
                continue;
            }
            long start = System.nanoTime();
            List<String> changes = repair(step, policy, hypercallCut).repair(hv, now);
            results.add(new RepairResult(step, true, changes, System.nanoTime() - start));
        }
        hv.st.header(CoreHeaderLayout.SCAN_PENDING, 0);
        for (int c = 0; c < hv.cpus; c++) {
            HartPort hart = hv.machine.hart(c);
            hv.schedule(c, hart, now, policy.has(RepairStep.REPROGRAM_TIMERS));
        }
        return results;
    }

    /** The first vCPU (in vCPU order) the preserved state says runs on {@code cpu}, or -1. */
    int runningOn(int cpu) {
        int total = hv.st.maxDomains() * hv.st.maxVcpus();
        for (int vid = 0; vid < total; vid++) {
            if (hv.st.domainActive(hv.sched.domid(vid)) && hv.sched.vstate(vid) == VcpuLayout.STATE_RUNNING
                    && hv.sched.processor(vid) == cpu) {
                return vid;
            }
        }
        return -1;
    }

    /**
     * True when some CPU was inside a hypercall (its per-CPU record active). Mappings and frame
     * counts change only inside hypercalls, so without one they cannot disagree and the repairs
     * that would scan every mapping have nothing to find. The answer is kept in the core header
     * until every step has run, so that a recovery cut short and run again still scans.
     */
    boolean hypercallInProgress() {
        for (int c = 0; c < hv.cpus; c++) {
            if (dev.rehype.region.layout.Fields.u32(hv.st.s, hv.st.layout.perCpu(c)
                    + dev.rehype.region.layout.PerCpuLayout.ACTIVE) != 0) {
                return true;
            }
        }
        return false;
    }

    static Repair repair(RepairStep step, RecoveryPolicy policy, boolean hypercallCut) {
        return switch (step) {
            case RELEASE_LOCKS -> new RepairReleaseLocks();
            case ACK_INTERRUPTS -> new RepairAckInterrupts();
            case REPROGRAM_TIMERS -> new RepairReprogramTimers();
            case REBUILD_RUN_QUEUES -> new RepairRebuildRunQueues();
            case SETTLE_INTENTS -> new RepairSettleIntents();
            case RETRY_HYPERCALL -> new RepairRetryHypercall(!policy.has(RepairStep.RESUME_MULTICALL),
                    policy.has(RepairStep.REPAIR_GRANTS), policy.has(RepairStep.SETTLE_INTENTS));
            case RESUME_MULTICALL -> new RepairResumeMulticall();
            case RECOMPUTE_FRAME_COUNTS -> new RepairRecomputeFrameCounts(hypercallCut);
            case REPAIR_EVENT_CHANNELS -> new RepairEventChannels(hypercallCut);
            case REPAIR_GRANTS -> new RepairGrants(hypercallCut);
            case CLEAR_STALE_VCPU_FLAGS -> new RepairClearStaleVcpuFlags();
        };
    }
}
