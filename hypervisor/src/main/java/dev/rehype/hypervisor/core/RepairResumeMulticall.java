package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.PerCpuLayout;
import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: a multicall cut short has done some of its entries; running it again
 * would redo them (a console write printed twice, a port allocated twice). Resume it instead: the
 * guest is rewound to its ecall with the batch narrowed to the entries its progress record says
 * were not done yet.
 */
final class RepairResumeMulticall implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        for (int c = 0; c < hv.cpus; c++) {
            long rec = hv.st.layout.perCpu(c);
            if (Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE) == 0
                    || Fields.u32(hv.st.s, rec + PerCpuLayout.NR) != Hypercall.MULTICALL) {
                continue;
            }
            int who = Fields.u32(hv.st.s, rec + PerCpuLayout.VCPU);
            int d = who >>> 16;
            int v = who & 0xffff;
            Fields.u32(hv.st.s, rec + PerCpuLayout.ACTIVE, 0);
            hv.intents.clear(c);
            if (!hv.st.domainActive(d)) {
                continue;
            }
            int done = Fields.u32(hv.st.s, rec + PerCpuLayout.PROGRESS);
            int entries = Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS);
            int count = Fields.u32(hv.st.s, rec + PerCpuLayout.ARGS + 4);
            RepairRetryHypercall.restoreArgs(hv, rec, d, v);
            hv.st.vcpu(d, v, VcpuLayout.PC, Fields.u32(hv.st.s, rec + PerCpuLayout.PC));
            hv.st.vcpu(d, v, VcpuLayout.reg(10), entries + 32 * done);
            hv.st.vcpu(d, v, VcpuLayout.reg(11), count - done);
            changes.add("d" + d + "v" + v + " multicall resumed at entry " + done + " of " + count);
        }
        return changes;
    }
}
