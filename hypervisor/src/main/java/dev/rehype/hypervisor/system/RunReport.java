package dev.rehype.hypervisor.system;

import java.util.List;

/** The outcome of one run of a system: every VM's result, the final state hash, virtual time. */
public record RunReport(long seed, List<VmResult> vms, String finalStateHash, long virtualCycles, boolean finished) {
    public RunReport {
        vms = List.copyOf(vms);
    }

    /** True when every VM is correct. */
    public boolean allCorrect() {
        return vms.stream().allMatch(VmResult::correct);
    }
}
