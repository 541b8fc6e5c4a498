/*
 * The outcome of `rehype bench cpu` and the figures derived from it. Every figure is computed from
 * the recorded runs: MIPS per run = instructions / wall ns * 1000, reported as median, min and max;
 * our time is the median wall time; a ratio is our median time over the reference's median time
 * (how many times slower than the reference we are), null when the reference was not measured.
 */
package dev.rehype.cli.bench;

import java.util.List;

/**
 * A finished CPU benchmark.
 *
 * @param plan         what was run
 * @param samples      the measured interpreter runs, in order
 * @param nativeTiming the natively compiled program's runs, or why there are none
 * @param qemuTiming   qemu-riscv32's runs, or why there are none
 * @param jdk          the JVM's version string
 * @param hostCpus     processors available to the JVM
 */
public record CpuBenchResult(CpuBenchPlan plan, List<InterpreterSample> samples, ReferenceTiming nativeTiming,
                             ReferenceTiming qemuTiming, String jdk, int hostCpus) {

    /** Checks that there is one sample per measured run and that every run retired the same instructions. */
    public CpuBenchResult {
        samples = List.copyOf(samples);
        if (samples.size() != plan.runs()) {
            throw new IllegalArgumentException("expected " + plan.runs() + " samples, got " + samples.size());
        }
        long first = samples.getFirst().instructions();
        for (InterpreterSample s : samples) {
            if (s.instructions() != first) {
                throw new IllegalArgumentException("runs retired different instruction counts: " + first + " and " + s.instructions());
            }
        }
    }

    /** Median MIPS over the measured runs. */
    public double mips() {
        return Statistics.median(mipsPerRun());
    }

    /** Lowest MIPS of a measured run. */
    public double mipsMin() {
        return Statistics.min(mipsPerRun());
    }

    /** Highest MIPS of a measured run. */
    public double mipsMax() {
        return Statistics.max(mipsPerRun());
    }

    /** Guest instructions one run retires. */
    public long instructions() {
        return samples.getFirst().instructions();
    }

    /** Median wall time of a measured interpreter run. */
    public double ourNanos() {
        return Statistics.median(samples.stream().mapToDouble(InterpreterSample::wallNanos).toArray());
    }

    /** Median time of the native program's work, or null when it was not measured. */
    public Double nativeNanos() {
        return median(nativeTiming);
    }

    /** Our median time over the native median time, or null when native was not measured. */
    public Double nativeRatio() {
        return ratio(nativeTiming);
    }

    /** Median wall time of a qemu-riscv32 process, or null when qemu was not measured. */
    public Double qemuNanos() {
        return median(qemuTiming);
    }

    /** Our median time over qemu's median time, or null when qemu was not measured. */
    public Double qemuRatio() {
        return ratio(qemuTiming);
    }

    private double[] mipsPerRun() {
        return samples.stream().mapToDouble(InterpreterSample::mips).toArray();
    }

    private static Double median(ReferenceTiming timing) {
        return timing.available() ? timing.medianNanos().getAsDouble() : null;
    }

    private Double ratio(ReferenceTiming timing) {
        return timing.available() ? ourNanos() / timing.medianNanos().getAsDouble() : null;
    }
}
