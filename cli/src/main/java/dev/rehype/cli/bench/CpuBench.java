/*
 * The CPU benchmark's procedure, independent of where measurements come from: warm-up runs, then
 * the measured runs on our interpreter (each must pass its self-check, and all must retire the same
 * number of instructions, since the machine is deterministic), then the reference targets.
 */
package dev.rehype.cli.bench;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rehype.cli.CheckFailure;

/** Runs a {@link CpuBenchPlan} against a {@link CpuBenchProbe}. */
public final class CpuBench {

    private static final Logger LOG = LoggerFactory.getLogger(CpuBench.class);

    private CpuBench() {
    }

    /**
     * Runs the plan and returns its result.
     *
     * @throws CheckFailure if a run fails its check or the runs retire different instruction counts
     */
    public static CpuBenchResult run(CpuBenchPlan plan, CpuBenchProbe probe, CpuBenchProgress progress,
                                     String jdk, int hostCpus) {
        for (int i = 1; i <= plan.warmupRuns(); i++) {
            InterpreterSample sample = probe.runInterpreter();
            LOG.debug("warm-up run {}/{}: {} instructions in {} ns", i, plan.warmupRuns(), sample.instructions(), sample.wallNanos());
            progress.warmupRun(i, plan.warmupRuns(), sample);
        }
        List<InterpreterSample> samples = new ArrayList<>(plan.runs());
        for (int i = 1; i <= plan.runs(); i++) {
            InterpreterSample sample = probe.runInterpreter();
            LOG.debug("measured run {}/{}: {} instructions in {} ns", i, plan.runs(), sample.instructions(), sample.wallNanos());
            if (!samples.isEmpty() && samples.getFirst().instructions() != sample.instructions()) {
                throw new CheckFailure(plan.imageName() + " retired " + samples.getFirst().instructions()
                        + " instructions in measured run 1 but " + sample.instructions() + " in run " + i
                        + ": the interpreter is not deterministic");
            }
            samples.add(sample);
            progress.measuredRun(i, plan.runs(), sample);
        }
        progress.referenceStarted(GuestCpuBenchProbe.NATIVE_TARGET);
        ReferenceTiming nativeTiming = probe.timeNative();
        LOG.debug("native: {}", nativeTiming);
        progress.referenceStarted(GuestCpuBenchProbe.QEMU_TARGET);
        ReferenceTiming qemuTiming = probe.timeQemu();
        LOG.debug("qemu: {}", qemuTiming);
        return new CpuBenchResult(plan, samples, nativeTiming, qemuTiming, jdk, hostCpus);
    }
}
