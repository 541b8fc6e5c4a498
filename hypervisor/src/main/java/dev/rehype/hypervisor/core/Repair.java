package dev.rehype.hypervisor.core;

import java.util.List;

/** One repair step of recovery (see {@link dev.rehype.hypervisor.image.RepairStep}). */
interface Repair {
    /** Removes its kind of inconsistency from the preserved state; returns one line per change. */
    List<String> repair(Hypervisor hv, long nowCycles);
}
