/*
 * One recovery policy of a campaign as its spec declared it: the name every run record carries,
 * the recovery mode and the repair steps it switches on. A campaign that sweeps several policies
 * (an ablation) lists them all in its metadata, so the ablation table can name each policy's
 * repair-step set even for steps that never ran.
 */
package dev.rehype.results;

import java.util.List;
import java.util.Objects;

/**
 * A recovery policy.
 *
 * @param name        the policy's name, as in {@code RunRecord.policy}
 * @param mode        {@code microreboot} or {@code microreset}
 * @param repairSteps the named repair steps it enables, in the order they run
 */
public record PolicyInfo(String name, String mode, List<String> repairSteps) {

    public PolicyInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        repairSteps = List.copyOf(repairSteps);
    }
}
