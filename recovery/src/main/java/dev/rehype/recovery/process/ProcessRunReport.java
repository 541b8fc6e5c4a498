package dev.rehype.recovery.process;

import dev.rehype.hypervisor.system.VmResult;

import java.util.List;

/**
 * What a supervised run produced: every VM's verdict, every restart, whether every domain finished
 * within the limit, why the system was lost if it was, and the console tail of each VM that is
 * not correct (for diagnosis).
 */
public record ProcessRunReport(long seed, List<VmResult> vms, List<RestartRecord> restarts, boolean finished,
                               long virtualCycles, String lostReason, List<String> failedConsoles) {
    public ProcessRunReport {
        vms = List.copyOf(vms);
        restarts = List.copyOf(restarts);
        failedConsoles = List.copyOf(failedConsoles);
    }

    /** True when the system was not lost, every domain finished, and every VM has its expected digest. */
    public boolean allCorrect() {
        return lostReason == null && finished && !vms.isEmpty() && vms.stream().allMatch(VmResult::correct);
    }
}
