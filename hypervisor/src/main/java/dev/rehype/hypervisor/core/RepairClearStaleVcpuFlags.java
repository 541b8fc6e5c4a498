package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.VcpuLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistencies removed: per-vCPU state the failed execution left half-changed — a vCPU marked
 * polling that is not blocked (a later timer would never wake it), a vCPU marked running on a CPU
 * that runs another one (a switch cut in the middle: it would never be scheduled again), a vCPU
 * running for a domain that has shut down. Clear the flags and put such vCPUs back in the
 * runnable (or offline) state they belong in.
 */
final class RepairClearStaleVcpuFlags implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        CoreState st = hv.st;
        int total = st.maxDomains() * st.maxVcpus();
        for (int vid = 0; vid < total; vid++) {
            int d = hv.sched.domid(vid);
            int v = hv.sched.vcpuid(vid);
            if (!st.domainExists(d)) {
                continue;
            }
            int state = hv.sched.vstate(vid);
            int flags = st.vcpu(d, v, VcpuLayout.FLAGS);
            if ((flags & VcpuLayout.FLAG_POLLING) != 0 && state != VcpuLayout.STATE_BLOCKED) {
                st.vcpu(d, v, VcpuLayout.FLAGS, flags & ~VcpuLayout.FLAG_POLLING);
                st.vcpu64(d, v, VcpuLayout.POLL_TIMEOUT, 0);
                changes.add("d" + d + "v" + v + " marked polling while not blocked: flag cleared");
            }
            if (state != VcpuLayout.STATE_RUNNING) {
                continue;
            }
            if (!st.domainActive(d)) {
                hv.sched.setVstate(vid, VcpuLayout.STATE_OFFLINE, nowCycles);
                changes.add("d" + d + "v" + v + " running for a stopped domain: offline");
                continue;
            }
            int cpu = hv.sched.processor(vid);
            if (cpu < 0 || cpu >= hv.cpus || hv.sched.current[cpu] != vid) {
                hv.sched.setVstate(vid, VcpuLayout.STATE_RUNNABLE, nowCycles);
                if (cpu < 0 || cpu >= hv.cpus) {
                    st.vcpu(d, v, VcpuLayout.PROCESSOR, 0);
                }
                hv.sched.enqueue(vid);
                changes.add("d" + d + "v" + v + " marked running on cpu " + cpu + " which runs another: runnable");
            }
        }
        return changes;
    }
}
