package dev.rehype.hypervisor.core;

import dev.rehype.machine.port.InterruptPort;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: an interrupt the failed execution claimed but never completed stays in
 * service in the interrupt controller and blocks every later interrupt of equal or lower priority
 * on that CPU. Complete every source left in service.
 */
final class RepairAckInterrupts implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        InterruptPort ic = hv.machine.interrupts();
        for (int c = 0; c < hv.cpus; c++) {
            for (int source : ic.inService(c)) {
                ic.complete(c, source);
                changes.add("interrupt " + source + " left in service on cpu " + c + " acknowledged");
            }
        }
        return changes;
    }
}
