package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.SpinLockLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Inconsistency removed: locks the failed execution held stay held in the preserved lock words;
 * the next acquirer spins forever (another CPU) or leaves the hypervisor holding it (the same
 * CPU). No hypervisor code runs during recovery, so every held lock is a leftover: free it.
 */
final class RepairReleaseLocks implements Repair {
    @Override
    public List<String> repair(Hypervisor hv, long nowCycles) {
        List<String> changes = new ArrayList<>();
        for (int lock = 0; lock < hv.st.layout.lockCount(); lock++) {
            int owner = hv.locks.owner(lock);
            if (owner >= 0) {
                long at = hv.st.layout.lock(lock);
                changes.add("lock " + lock + " held by cpu " + owner + " (depth "
                        + Fields.u32(hv.st.s, at + SpinLockLayout.DEPTH) + ") released");
                Fields.u32(hv.st.s, at + SpinLockLayout.OWNER, 0);
                Fields.u32(hv.st.s, at + SpinLockLayout.DEPTH, 0);
            }
        }
        return changes;
    }
}
