package dev.rehype.campaign.run;

import dev.rehype.campaign.Classification;
import dev.rehype.campaign.OutcomeClassifier;
import dev.rehype.campaign.RunRecord;
import dev.rehype.campaign.exec.GoldenRun;
import dev.rehype.campaign.exec.InjectionBackend;
import dev.rehype.campaign.exec.InjectionExecutor;
import dev.rehype.campaign.exec.Observation;
import dev.rehype.campaign.plan.Planner;
import dev.rehype.campaign.plan.RunTask;
import dev.rehype.campaign.spec.CampaignSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays one run of a campaign alone, by its index: the same planning, the same golden run, the
 * same executor, with a detailed trace (fault, activation, detection, every recovery phase and
 * repair, verdicts, management check). Same spec and index give the same outcome and final hash.
 */
public final class Replay {
    private Replay() {
    }

    /** The replayed run: its task, what was observed, the judgement, the record it makes and the trace. */
    public record Result(RunTask task, GoldenRun golden, Observation observation, Classification classification,
                         RunRecord record, List<String> trace) {
    }

    public static Result replay(CampaignSpec spec, long runIndex, InjectionBackend backend) {
        RunTask task = Planner.task(spec, runIndex);
        String why = backend.unsupported(task);
        if (why != null) {
            throw new IllegalArgumentException("run " + runIndex + " cannot be replayed in this build: " + why);
        }
        GoldenRun golden = backend.prepare();
        List<String> trace = new ArrayList<>();
        long start = System.nanoTime();
        Observation o;
        try (InjectionExecutor executor = backend.newReferenceExecutor()) {
            o = executor.execute(task, (at, what) -> trace.add(at < 0 ? "            " + what
                    : String.format(Locale.ROOT, "%,12d  %s", at, what)), () -> false);
        }
        long wall = System.nanoTime() - start;
        Classification c = OutcomeClassifier.classify(golden, o);
        for (RunRecord.VmVerdict v : c.vms()) {
            trace.add(String.format(Locale.ROOT, "%12s  verdict %-8s %-12s digest %s (golden %s)", "", v.name(),
                    v.verdict(), v.digest().isEmpty() ? "-" : v.digest(), golden.vm(v.name()).digest()));
        }
        trace.add(String.format(Locale.ROOT, "%12s  outcome %s%s: %s", "", c.outcome(),
                c.reason() == dev.rehype.campaign.Reason.NONE ? "" : " (" + c.reason() + ")", c.why()));
        return new Result(task, golden, o, c, RunRecords.of(spec, task, o, c, wall), trace);
    }
}
