package dev.rehype.hypervisor.image;

import java.util.EnumSet;
import java.util.Set;

/** Which repair steps recovery runs (default: all of them). */
public record RecoveryPolicy(Set<RepairStep> enabled) {
    public RecoveryPolicy {
        enabled = enabled.isEmpty() ? EnumSet.noneOf(RepairStep.class) : EnumSet.copyOf(enabled);
    }

    public static RecoveryPolicy all() {
        return new RecoveryPolicy(EnumSet.allOf(RepairStep.class));
    }

    /** Every step but {@code step} (the ablation that shows what the step is worth). */
    public static RecoveryPolicy allBut(RepairStep step) {
        EnumSet<RepairStep> s = EnumSet.allOf(RepairStep.class);
        s.remove(step);
        return new RecoveryPolicy(s);
    }

    public boolean has(RepairStep step) {
        return enabled.contains(step);
    }
}
