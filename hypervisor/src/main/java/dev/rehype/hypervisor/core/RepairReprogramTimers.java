package dev.rehype.hypervisor.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: recovery re-initialises the timer hardware (as a booting hypervisor
 * does), so no CPU would get another tick and no vCPU's deadline would fire. Program every CPU's
 * timer from the preserved vCPU deadlines and poll timeouts (and the scheduler tick).
 */
final class RepairReprogramTimers implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        for (int c = 0; c < hv.cpus; c++) {
            hv.programTimer(c, nowCycles);
            changes.add("cpu " + c + " timer programmed for " + hv.machine.timer(c).deadlineCycles());
        }
        return changes;
    }
}
