package dev.rehype.campaign.property;

import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.fault.Target;

import java.util.List;

/**
 * The fault plans a property draws from: the fault types and targets (each fault draws one of
 * each, uniformly), the window its {@code after} trigger time falls in, how many faults a plan has
 * at most, and the largest {@code nth} (the execution, entry or instruction at which a fault fires,
 * counted from {@code after}).
 */
public record PlanSpace(List<FaultType> types, List<Target> targets, TriggerWindow window, int maxFaults,
                        long maxNth) {
    public PlanSpace {
        types = List.copyOf(types);
        targets = List.copyOf(targets);
        if (types.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("a plan space needs at least one fault type and one target");
        }
        if (maxFaults < 1 || maxNth < 1) {
            throw new IllegalArgumentException("a plan space needs maxFaults >= 1 and maxNth >= 1, got " + maxFaults
                    + " and " + maxNth);
        }
    }
}
