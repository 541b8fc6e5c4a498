/*
 * One row of the ablation table: the runs of one recovery policy (one repair-step set) in a
 * campaign that swept several, with its recovery rate and latency.
 */
package dev.rehype.results;

import java.util.List;
import java.util.Objects;

/**
 * Outcomes of one policy.
 *
 * @param policy        the policy's name
 * @param mode          its recovery mode, empty when the metadata does not declare the policy
 * @param repairSteps   its repair steps: as declared in the campaign metadata, or else every step
 *                      seen running in its runs (then {@code stepsDeclared} is false)
 * @param stepsDeclared whether {@code repairSteps} come from the campaign's declared policies
 * @param counts        the outcome counts of its runs
 * @param latency       its recovery latency distribution
 */
public record AblationRow(String policy, String mode, List<String> repairSteps, boolean stepsDeclared,
                          OutcomeCounts counts, LatencySummary latency) {

    public AblationRow {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(mode, "mode");
        repairSteps = List.copyOf(repairSteps);
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(latency, "latency");
    }

    /** recovered / detected with its 95% Wilson interval. */
    public Proportion recoveryRate() {
        return counts.recoveryRate();
    }
}
