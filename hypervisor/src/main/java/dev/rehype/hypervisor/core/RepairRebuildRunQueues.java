package dev.rehype.hypervisor.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: the run queues lived on the failed image's heap; without them no
 * runnable vCPU would ever be scheduled again. Rebuild them from the preserved vCPU states.
 */
final class RepairRebuildRunQueues implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        hv.sched.rebuild();
        List<String> changes = new ArrayList<>();
        int total = hv.st.maxDomains() * hv.st.maxVcpus();
        for (int vid = 0; vid < total; vid++) {
            if (hv.sched.canRun(vid) || (hv.st.domainActive(hv.sched.domid(vid))
                    && hv.sched.vstate(vid) == dev.rehype.region.layout.VcpuLayout.STATE_RUNNABLE)) {
                changes.add("d" + hv.sched.domid(vid) + "v" + hv.sched.vcpuid(vid) + " queued on cpu "
                        + hv.sched.processor(vid));
            }
        }
        return changes;
    }
}
