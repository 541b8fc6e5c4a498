package dev.rehype.hypervisor.image;

import java.util.List;

/** What one repair step did during a recovery: whether it ran, what it changed, how long it took. */
public record RepairResult(RepairStep step, boolean ran, List<String> changes, long wallNanos) {
    public RepairResult {
        changes = List.copyOf(changes);
    }
}
