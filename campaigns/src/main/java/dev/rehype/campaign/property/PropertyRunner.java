package dev.rehype.campaign.property;

import dev.rehype.campaign.Outcome;
import dev.rehype.campaign.spec.PolicySpec;
import dev.rehype.fault.FaultPlan;
import dev.rehype.machine.Seeds;
import dev.rehype.recovery.RecoveryMode;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The tries of one recovery property: prints the seed and every setting first; draws try k's plan
 * from {@link #trySeed}; checks it; on the first failure shrinks the plan ({@link Shrinker}) and
 * throws one {@link PropertyFailure} naming seed and try, original and shrunk plan, the steps and
 * the replay commands. Tries aborted by an assumption are discarded; fewer checked tries than
 * {@code minChecked} fail the property (it said nothing). A plan given by override runs alone.
 */
final class PropertyRunner {
    private final Class<?> testClass;
    private final Method method;
    private final PropertySettings settings;
    private final Gen<FaultPlan> gen;
    private final Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);

    PropertyRunner(Class<?> testClass, Method method, PropertySettings settings, Gen<FaultPlan> gen) {
        this.testClass = testClass;
        this.method = method;
        this.settings = settings;
        this.gen = gen;
    }

    /** The seed try {@code k} of root seed {@code seed} draws its plan with. */
    static long trySeed(long seed, int k) {
        return Seeds.derive(Seeds.derive(seed, "property"), k);
    }

    /** The plan try {@code k} of {@code settings} draws from {@code gen}. */
    static FaultPlan planOf(Gen<FaultPlan> gen, long seed, int k) {
        return gen.generate(new SplittableRandom(trySeed(seed, k)));
    }

    /** Counts a run's outcome for the closing line (runs of system-backed properties). */
    void count(Outcome outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** Runs the tries through {@code check}; returns the closing line, or throws {@link PropertyFailure}. */
    String run(Check<FaultPlan> check) {
        System.out.println("recovery property " + name() + ": " + settings.describe());
        if (settings.plan() != null) {
            Throwable f = check.failure(settings.plan());
            if (failed(f)) {
                throw new PropertyFailure("recovery property " + name() + " fails on the plan of -D"
                        + PropertySettings.PLAN_PROPERTY + "\n" + line("plan", settings.plan().toText())
                        + line("its failure", indent(f.toString())) + line("settings", settings.describe()), f);
            }
            return closing(f == null ? 1 : 0, f == null ? 0 : 1);
        }
        List<Integer> tries = settings.tryIndexes();
        int checked = 0;
        int discarded = 0;
        for (int k : tries) {
            FaultPlan plan = planOf(gen, settings.seed(), k);
            Throwable f = check.failure(plan);
            if (f == null) {
                checked++;
            } else if (f instanceof TestAbortedException) {
                discarded++;
            } else {
                Shrunk<FaultPlan> s = Shrinker.shrink(gen, plan, f, check, settings.maxShrinkRuns());
                throw new PropertyFailure(failure(k, s, f), s.failure());
            }
        }
        int needed = Math.min(settings.minChecked(), tries.size());
        if (checked < needed) {
            throw new PropertyFailure("recovery property " + name() + " said nothing: " + checked + " of "
                    + tries.size() + " tries checked, " + discarded + " discarded by assumptions; at least " + needed
                    + " must be checked (minChecked)\n" + line("settings", settings.describe()), null);
        }
        return closing(checked, discarded);
    }

    private String closing(int checked, int discarded) {
        String counts = outcomes.isEmpty() ? "" : "; outcomes: " + outcomes.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return "recovery property " + name() + " holds: " + checked + " checked, " + discarded + " discarded" + counts;
    }

    private String failure(int k, Shrunk<FaultPlan> s, Throwable first) {
        StringBuilder b = new StringBuilder();
        b.append("recovery property ").append(name()).append(" failed at try ").append(k).append(" of seed ")
                .append(settings.seed()).append(" (").append(settings.seedSource()).append(")\n");
        b.append(line("original plan", s.original().toText()));
        b.append(line("its failure", firstLine(first)));
        b.append(line("shrunk plan", s.value().toText()));
        b.append(line("its failure", indent(s.failure().toString())));
        b.append(line("shrinking", count(s.steps().size(), "step") + " in " + count(s.runs(), "run") + ", "
                + (s.budgetSpent() ? "stopped: the budget of " + settings.maxShrinkRuns() + " runs (maxShrinkRuns) is"
                + " spent" : "a local minimum: no simpler plan fails")));
        for (int i = 0; i < s.steps().size(); i++) {
            b.append(String.format(Locale.ROOT, "    %3d. %s%n", i + 1, s.steps().get(i).toText()));
        }
        b.append(line("replay the try", ReplayCommand.tryOf(testClass, method, settings.seed(), k)));
        b.append(line("replay the shrunk plan", ReplayCommand.plan(testClass, method, s.value().toText())));
        if (settings.system() == PropertySystem.IO && settings.policy().equals(PolicySpec.all(RecoveryMode.MICROREBOOT))) {
            b.append(line("the same run in the CLI", ReplayCommand.cli(s.value(), settings.systemSeed(),
                    settings.maxCycles())));
        }
        b.append(line("settings", settings.describe()));
        return b.toString().stripTrailing();
    }

    private String name() {
        return testClass.getSimpleName() + "#" + method.getName();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static boolean failed(Throwable f) {
        return f != null && !(f instanceof TestAbortedException);
    }

    private static String line(String label, String text) {
        return String.format(Locale.ROOT, "  %-23s %s%n", label + ":", text);
    }

    /** The failure's class and the first line of its message (AssertJ's may start with a blank line). */
    private static String firstLine(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl).stripTrailing() + " ...";
        return t.getClass().getName() + (first.isEmpty() ? "" : ": " + first);
    }

    private static String indent(String text) {
        return text.strip().lines().map(String::stripTrailing).collect(Collectors.joining("\n" + " ".repeat(26)));
    }
}
