package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: a hypercall cut short by the failure left its caller half-served — the
 * guest would resume after its ecall with a result that was never written. For an idempotent
 * hypercall (or a single grant map, once REPAIR_GRANTS rolls back what it half did), rewind the
 * guest to its ecall so that it runs again; for a continuable one (memory
 * reservations), rewind it with its continuation point set from the progress record; for a
 * domctl or event-channel operation that SETTLE_INTENTS has undone (or found not yet begun), rewind
 * it too; for any other, complete it with -EAGAIN (the guest's kernel may try again). Multicalls
 * are left to RESUME_MULTICALL when that step is enabled.
 */
final class RepairRetryHypercall implements Repair {
    private final boolean multicallsToo;
    private final boolean grantsRepaired;
    private final boolean intentsSettled;

    /**
     * {@code multicallsToo}: RESUME_MULTICALL is off, so multicalls are completed here;
     * {@code grantsRepaired}: REPAIR_GRANTS is on, so a single grant map cut short may be run again;
     * {@code intentsSettled}: SETTLE_INTENTS is on, so an operation it marked undone may be run again.
     */
    RepairRetryHypercall(boolean multicallsToo, boolean grantsRepaired, boolean intentsSettled) {
        this.multicallsToo = multicallsToo;
        this.grantsRepaired = grantsRepaired;
        this.intentsSettled = intentsSettled;
    }

    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        for (int c = 0; c < hv.cpus; c++) {
            long rec = hv.st.layout.perCpu(c);
            if (Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE) == 0) {
                continue;
            }
            int nr = Fields.u32(hv.st.s, rec + PerCpuLayout.NR);
            if (nr == Hypercall.MULTICALL && !multicallsToo) {
                continue;
            }
            int who = Fields.u32(hv.st.s, rec + PerCpuLayout.VCPU);
            int d = who >>> 16;
            int v = who & 0xffff;
            int pc = Fields.u32(hv.st.s, rec + PerCpuLayout.PC);
            int cmd = Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS);
            boolean undone = intentsSettled
                    && Fields.u32(hv.st.s, rec + PerCpuLayout.INTENT_PHASE) == PerCpuLayout.PHASE_UNDONE;
            Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE, 0);
            hv.intents.clear(c);
            if (!hv.st.domainActive(d)) {
                changes.add("hypercall " + nr + " of dying d" + d + " dropped");
                continue;
            }
            Integer continued = Idempotence.continuation(nr, cmd,
                    Fields.u32(hv.st.s, rec + PerCpuLayout.PROGRESS));
            if (continued != null) {
                hv.st.vcpu(d, v, VcpuLayout.PC, pc);
                restoreArgs(hv, rec, d, v);
                hv.st.vcpu(d, v, VcpuLayout.reg(10), continued);
                changes.add("d" + d + "v" + v + " hypercall " + nr + "/" + (cmd & MemoryOps.CMD_MASK)
                        + " continued from extent " + ((continued >>> MemoryOps.EXTENT_SHIFT) - 1));
            } else if (undone || Idempotence.idempotent(nr, cmd)
                    || (nr == Hypercall.DOMCTL && Idempotence.domctlRetryable(Fields.u32(hv.st.s, rec + PerCpuLayout.SUBOP)))
                    || (grantsRepaired && Idempotence.retryableAfterGrantRepair(nr,
                    cmd, Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS + 8)))) {
                hv.st.vcpu(d, v, VcpuLayout.PC, pc);
                restoreArgs(hv, rec, d, v);
                changes.add("d" + d + "v" + v + " hypercall " + nr + "/" + cmd + " rewound to its ecall at 0x"
                        + Integer.toHexString(pc));
            } else {
                hv.st.vcpu(d, v, VcpuLayout.PC, pc + 4);
                hv.st.vcpu(d, v, VcpuLayout.reg(10), -Errno.EAGAIN);
                changes.add("d" + d + "v" + v + " hypercall " + nr + "/" + cmd + " completed with -EAGAIN");
            }
        }
        return changes;
    }

    /** The guest's argument registers as they were at the ecall (a0 may hold a partial result). */
    static void restoreArgs(Hypervisor hv, long rec, int d, int v) {
        for (int i = 0; i < 6; i++) {
            hv.st.vcpu(d, v, VcpuLayout.reg(10 + i), Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS + 4L * i));
        }
        hv.st.vcpu(d, v, VcpuLayout.reg(17), Fields.u32(hv.st.s, rec + PerCpuLayout.NR));
    }
}
