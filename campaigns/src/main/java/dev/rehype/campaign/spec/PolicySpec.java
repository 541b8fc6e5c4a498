package dev.rehype.campaign.spec;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.image.RepairStep;
import dev.rehype.recovery.RecoveryMode;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A named recovery policy of a campaign: the recovery mode and the repair steps it runs. The
 * name is what records and the ablation table show.
 */
public record PolicySpec(String name, RecoveryMode mode, Set<RepairStep> steps) {
    public PolicySpec {
        steps = steps.isEmpty() ? EnumSet.noneOf(RepairStep.class) : EnumSet.copyOf(steps);
    }

    /** Every repair step in {@code mode}, named "microreboot/all". */
    public static PolicySpec all(RecoveryMode mode) {
        return new PolicySpec(defaultName(mode, EnumSet.allOf(RepairStep.class)), mode, EnumSet.allOf(RepairStep.class));
    }

    /** "mode/all", "mode/none" or "mode/step+step+...". */
    public static String defaultName(RecoveryMode mode, Set<RepairStep> steps) {
        String m = mode.name().toLowerCase(Locale.ROOT);
        if (steps.size() == RepairStep.values().length) {
            return m + "/all";
        }
        if (steps.isEmpty()) {
            return m + "/none";
        }
        return m + "/" + EnumSet.copyOf(steps).stream().map(RepairStep::label).collect(Collectors.joining("+"));
    }

    /** The repair step labelled {@code label} ({@link RepairStep#label()}, e.g. "release-locks"), or null. */
    public static RepairStep step(String label) {
        for (RepairStep r : RepairStep.values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        return null;
    }

    /** Every repair step's label, in order, comma separated (for messages). */
    public static String stepLabels() {
        return java.util.Arrays.stream(RepairStep.values()).map(RepairStep::label).collect(Collectors.joining(", "));
    }

    public RecoveryPolicy recoveryPolicy() {
        return new RecoveryPolicy(steps);
    }

    /** "microreboot" or "microreset". */
    public String modeLabel() {
        return mode.name().toLowerCase(Locale.ROOT);
    }
}
