package dev.rehype.recovery;

import dev.rehype.hypervisor.image.RepairResult;

import java.util.List;

/**
 * What one recovery did: the detection it answered, the mode, every phase (detection, image
 * switch, re-attach, re-initialisation, each repair step, resume) with its wall-clock and virtual
 * time, what each repair step changed, the region's generation afterwards, and whether the
 * recovery itself completed.
 */
public record RecoveryReport(Detection detection, RecoveryMode mode, List<RecoveryPhase> phases,
                             List<RepairResult> repairs, long generation, boolean completed, String failure) {
    public RecoveryReport {
        phases = List.copyOf(phases);
        repairs = List.copyOf(repairs);
    }

    /** Detection to guests resumed, wall clock. */
    public long totalWallNanos() {
        return phases.stream().mapToLong(RecoveryPhase::wallNanos).sum();
    }

    public long totalVirtualCycles() {
        return phases.stream().mapToLong(RecoveryPhase::virtualCycles).sum();
    }
}
