/*
 * The text form of `rehype bench cpu` for terminals: first the derived options (so a figure can be
 * reproduced), then one line per run as it ends, then a summary table.
 */
package dev.rehype.cli.bench;

import java.util.Locale;

/** Formats the CPU benchmark for people. */
public final class CpuBenchText {

    private CpuBenchText() {
    }

    /** The first line: every option that decides what is measured. */
    public static String header(CpuBenchPlan plan, String jdk, int hostCpus) {
        return String.format(Locale.ROOT, "bench cpu: image=%s runs=%d warmup=%d max_cycles=%d jdk=%s host_cpus=%d",
                plan.imageName(), plan.runs(), plan.warmupRuns(), plan.maxCycles(), jdk, hostCpus);
    }

    /** One interpreter run, for example {@code   run 2/5      312.4 MIPS  (1234567 instructions, 3.952 s)}. */
    public static String runLine(String label, int index, int count, InterpreterSample s) {
        return String.format(Locale.ROOT, "  %-13s %9.1f MIPS  (%,d instructions, %s)",
                label + " " + index + "/" + count, s.mips(), s.instructions(), seconds(s.wallNanos()));
    }

    /** The summary table: MIPS statistics, then each target's median time and our time over it. */
    public static String summary(CpuBenchResult r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%-22s %12s %12s %12s%n", "", "median", "min", "max"));
        out.append(String.format(Locale.ROOT, "%-22s %12.1f %12.1f %12.1f%n", "interpreter MIPS", r.mips(), r.mipsMin(), r.mipsMax()));
        out.append(String.format(Locale.ROOT, "%-22s %,12d%n", "instructions per run", r.instructions()));
        out.append(String.format(Locale.ROOT, "%n%-22s %12s %12s %16s%n", "target", "median time", "ours/target", "MIPS-equivalent"));
        out.append(target("rehype interpreter", r.ourNanos(), 1.0, r.instructions()));
        out.append(reference(r.nativeTiming(), r.nativeNanos(), r.nativeRatio(), r.instructions()));
        out.append(reference(r.qemuTiming(), r.qemuNanos(), r.qemuRatio(), r.instructions()));
        return out.toString();
    }

    private static String reference(ReferenceTiming timing, Double nanos, Double ratio, long instructions) {
        if (nanos == null) {
            return String.format(Locale.ROOT, "%-22s %12s   (%s)%n", timing.target(), "n/a", timing.note());
        }
        return target(timing.target(), nanos, ratio, instructions);
    }

    private static String target(String name, double nanos, double ratio, long instructions) {
        return String.format(Locale.ROOT, "%-22s %12s %12.2f %16.1f%n", name, seconds(nanos), ratio, instructions * 1_000.0 / nanos);
    }

    private static String seconds(double nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }
}
