package dev.rehype.campaign.property;

import dev.rehype.campaign.exec.InjectorBackend;
import dev.rehype.campaign.spec.FaultType;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.fault.FaultPlan;
import dev.rehype.fault.FaultPlanException;
import dev.rehype.fault.Target;
import dev.rehype.hypervisor.image.RepairStep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything one recovery property runs with, read from its {@link RecoveryProperty} annotation
 * and the overrides ({@value #SEED_PROPERTY} or {@value #SEED_ENV}, {@value #TRY_PROPERTY},
 * {@value #PLAN_PROPERTY}) and checked: a mistake is a {@link PropertyConfigException} naming the
 * attribute or override.
 *
 * @param seed          the root seed every try derives from
 * @param seedSource    where the seed came from (the annotation or an override), for the first line
 * @param tries         tries 0 to tries - 1
 * @param onlyTry       the one try to run ({@value #TRY_PROPERTY}), or -1 for all
 * @param plan          the one plan to run ({@value #PLAN_PROPERTY}), or null
 * @param system        where tries run
 * @param systemSeed    the campaign system's seed
 * @param maxCycles     virtual cycles a run may take
 * @param policy        the recovery policy
 * @param space         the plans drawn
 * @param maxShrinkRuns candidates shrinking may try
 * @param minChecked    tries that must be checked (not discarded)
 */
public record PropertySettings(long seed, String seedSource, int tries, int onlyTry, FaultPlan plan,
                               PropertySystem system, long systemSeed, long maxCycles, PolicySpec policy,
                               PlanSpace space, int maxShrinkRuns, int minChecked) {
    public static final String SEED_PROPERTY = "rehype.property.seed";
    public static final String SEED_ENV = "REHYPE_PROPERTY_SEED";
    public static final String TRY_PROPERTY = "rehype.property.try";
    public static final String PLAN_PROPERTY = "rehype.property.plan";

    /** The settings of {@code a} with the overrides found by {@code systemProperty} and {@code environment}. */
    public static PropertySettings of(RecoveryProperty a, Function<String, String> systemProperty,
                                      Function<String, String> environment) {
        long seed = a.seed();
        String seedSource = "@RecoveryProperty(seed)";
        String seedText = systemProperty.apply(SEED_PROPERTY);
        String seedName = "-D" + SEED_PROPERTY;
        if (seedText == null) {
            seedText = environment.apply(SEED_ENV);
            seedName = SEED_ENV;
        }
        if (seedText != null) {
            seed = number(seedName, seedText, Long.MIN_VALUE, Long.MAX_VALUE, "a seed is a whole number, e.g. " + seedName
                    + (seedName.startsWith("-D") ? "=" : " ") + "42");
            seedSource = seedName;
        }
        require(a.tries() >= 1, "tries = " + a.tries() + ": must be at least 1");
        String tryText = systemProperty.apply(TRY_PROPERTY);
        int onlyTry = tryText == null ? -1 : (int) number("-D" + TRY_PROPERTY, tryText, 0, Integer.MAX_VALUE,
                "a try is an index from 0, e.g. -D" + TRY_PROPERTY + "=3");
        FaultPlan plan = null;
        String planText = systemProperty.apply(PLAN_PROPERTY);
        if (planText != null) {
            try {
                plan = FaultPlan.parse(planText);
            } catch (FaultPlanException e) {
                throw new PropertyConfigException("-D" + PLAN_PROPERTY + ": " + e.getMessage());
            }
        }
        require(a.types().length > 0, "types = {}: name at least one fault type");
        require(a.targets().length > 0, "targets = {}: name at least one target");
        require(a.maxFaults() >= 1, "maxFaults = " + a.maxFaults() + ": must be at least 1");
        require(a.maxNth() >= 1, "maxNth = " + a.maxNth() + ": must be at least 1");
        require(a.maxCycles() >= 1, "maxCycles = " + a.maxCycles() + ": must be at least 1");
        require(a.maxShrinkRuns() >= 0, "maxShrinkRuns = " + a.maxShrinkRuns() + ": must be at least 0");
        require(a.minChecked() >= 0 && a.minChecked() <= a.tries(), "minChecked = " + a.minChecked()
                + ": must be 0 to tries (" + a.tries() + ")");
        List<Target> targets = new ArrayList<>();
        for (String t : a.targets()) {
            String why = InjectorBackend.unsupportedTarget(a.system().systemSpec(), t);
            require(why == null, "targets: " + why);
            targets.add(Target.parse(t));
        }
        TriggerWindow d = a.system().defaultWindow();
        long from = a.triggerFromCycles() == -1 ? d.fromCycles() : a.triggerFromCycles();
        long to = a.triggerToCycles() == -1 ? d.toCycles() : a.triggerToCycles();
        require(from >= 0 && to > from, "trigger window [" + from + ", " + to + "): needs 0 <= triggerFromCycles"
                + " < triggerToCycles");
        List<FaultType> types = Arrays.stream(a.types()).distinct().toList();
        PlanSpace space = new PlanSpace(types, targets, new TriggerWindow(from, to), a.maxFaults(), a.maxNth());
        Set<RepairStep> steps = steps(a.repairSteps());
        PolicySpec policy = new PolicySpec(PolicySpec.defaultName(a.mode(), steps), a.mode(), steps);
        return new PropertySettings(seed, seedSource, a.tries(), onlyTry, plan, a.system(), a.systemSeed(),
                a.maxCycles(), policy, space, a.maxShrinkRuns(), a.minChecked());
    }

    /** The tries to run: the one of an override, else 0 to tries - 1. */
    public List<Integer> tryIndexes() {
        if (onlyTry >= 0) {
            return List.of(onlyTry);
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < tries; k++) {
            out.add(k);
        }
        return out;
    }

    /** Every setting on one line, seed first (what a replay needs to know). */
    public String describe() {
        TriggerWindow w = space.window();
        String runs = plan != null ? "the plan of -D" + PLAN_PROPERTY + " alone"
                : onlyTry >= 0 ? "try " + onlyTry + " alone (-D" + TRY_PROPERTY + ")" : "tries 0.." + (tries - 1);
        return String.format(Locale.ROOT, "seed %d (%s), %s, system %s (system seed %d, max %d cycles), policy %s;"
                        + " plans: types %s, targets %s, after in %s, 1..%d faults, nth 1..%d; shrinking at most %d runs",
                seed, seedSource, runs, system.label(), systemSeed, maxCycles, policy.name(),
                space.types().stream().map(FaultType::label).toList(), space.targets(), w, space.maxFaults(),
                space.maxNth(), maxShrinkRuns);
    }

    private static Set<RepairStep> steps(String[] labels) {
        if (labels.length == 1 && labels[0].equals("all")) {
            return EnumSet.allOf(RepairStep.class);
        }
        if (labels.length == 1 && labels[0].equals("none")) {
            return EnumSet.noneOf(RepairStep.class);
        }
        Set<RepairStep> out = EnumSet.noneOf(RepairStep.class);
        for (String label : labels) {
            RepairStep step = PolicySpec.step(label);
            require(step != null, "repairSteps: unknown repair step '" + label + "'; 'all', 'none' or steps: "
                    + PolicySpec.stepLabels());
            require(out.add(step), "repairSteps: '" + label + "' listed twice");
        }
        return out;
    }

    private static long number(String name, String text, long min, long max, String hint) {
        long n;
        try {
            n = Long.parseLong(text.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new PropertyConfigException(name + "='" + text + "' is not a number (" + hint + ")");
        }
        if (n < min || n > max) {
            throw new PropertyConfigException(name + "='" + text + "' is out of range (" + hint + ")");
        }
        return n;
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new PropertyConfigException("@RecoveryProperty(" + problem + ")");
        }
    }
}
