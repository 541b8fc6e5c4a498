package dev.rehype.campaign.plan;

import dev.rehype.campaign.spec.CampaignSpec;
import dev.rehype.campaign.spec.FaultEntry;
import dev.rehype.campaign.spec.TriggerWindow;
import dev.rehype.machine.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a campaign spec into its run tasks, deterministically: the same spec gives the same tasks,
 * in any JVM. Fault draw {@code d} is decided by a generator seeded from the root seed and
 * {@code d} alone (so every policy of a sweep gets the same faults, and any draw can be planned
 * on its own); with weights, the draw picks its fault type in proportion to the weights; with
 * counts, the multiset of types is shuffled once by a generator seeded from the root seed. Run
 * {@code r = d * policies + p} runs draw {@code d} under policy {@code p}, with run seed
 * {@code Seeds.derive(rootSeed, r)}.
 */
public final class Planner {
    private Planner() {
    }

    /** Every run of the campaign, in run-index order. */
    public static List<RunTask> plan(CampaignSpec spec) {
        int policies = spec.policies().size();
        List<FaultEntry> order = spec.byCount() ? countOrder(spec) : null;
        List<RunTask> tasks = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, spec.totalRuns()));
        for (long d = 0; d < spec.draws(); d++) {
            long faultSeed = Seeds.derive(Seeds.derive(spec.rootSeed(), "fault-draws"), d);
            SplittableRandom random = new SplittableRandom(faultSeed);
            FaultEntry entry = order != null ? order.get((int) d) : byWeight(spec.faults(), random.nextDouble());
            TriggerWindow w = entry.trigger();
            long trigger = w.fromCycles() + random.nextLong(w.toCycles() - w.fromCycles());
            long siteSeed = random.nextLong();
            for (int p = 0; p < policies; p++) {
                long runIndex = d * policies + p;
                tasks.add(new RunTask(runIndex, Seeds.derive(spec.rootSeed(), runIndex), d, siteSeed, entry.type(),
                        spec.target(), trigger, p, spec.policies().get(p)));
            }
        }
        return tasks;
    }

    /** The task of run {@code runIndex} alone (replay), equal to {@code plan(spec).get(runIndex)}. */
    public static RunTask task(CampaignSpec spec, long runIndex) {
        if (runIndex < 0 || runIndex >= spec.totalRuns()) {
            throw new IllegalArgumentException("run " + runIndex + " is not in campaign " + spec.name() + " (runs 0.."
                    + (spec.totalRuns() - 1) + ")");
        }
        return plan(spec).get((int) runIndex);
    }

    private static FaultEntry byWeight(List<FaultEntry> faults, double u) {
        double total = 0;
        for (FaultEntry f : faults) {
            total += f.weight();
        }
        double x = u * total;
        FaultEntry last = null;
        for (FaultEntry f : faults) {
            if (f.weight() > 0) {
                last = f;
                if (x < f.weight()) {
                    return f;
                }
                x -= f.weight();
            }
        }
        return last;
    }

    private static List<FaultEntry> countOrder(CampaignSpec spec) {
        List<FaultEntry> order = new ArrayList<>();
        for (FaultEntry f : spec.faults()) {
            for (long i = 0; i < f.count(); i++) {
                order.add(f);
            }
        }
        SplittableRandom random = new SplittableRandom(Seeds.derive(spec.rootSeed(), "fault-order"));
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            FaultEntry t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        return order;
    }
}
