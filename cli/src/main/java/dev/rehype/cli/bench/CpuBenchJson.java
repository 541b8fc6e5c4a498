/*
 * The JSON form of a CPU benchmark result (`rehype bench cpu --json`): one object on one line,
 * for scripts. Times are integer nanoseconds, MIPS and ratios are rounded to three decimals;
 * a reference that was not measured has null figures and a note saying why.
 */
package dev.rehype.cli.bench;

import dev.rehype.cli.json.JsonWriter;

/** Writes a {@link CpuBenchResult} as one JSON object. */
public final class CpuBenchJson {

    private CpuBenchJson() {
    }

    /** The result as a JSON object (no trailing newline). */
    public static String of(CpuBenchResult r) {
        return new JsonWriter()
                .beginObject()
                .name("image").value(r.plan().imageName())
                .name("mips").value(round3(r.mips()))
                .name("mips_min").value(round3(r.mipsMin()))
                .name("mips_max").value(round3(r.mipsMax()))
                .name("instructions").value(r.instructions())
                .name("runs").value(r.plan().runs())
                .name("warmup").value(r.plan().warmupRuns())
                .name("our_nanos").value(Math.round(r.ourNanos()))
                .name("native_nanos").value(nanos(r.nativeNanos()))
                .name("native_ratio").value(round3(r.nativeRatio()))
                .name("native_note").value(r.nativeTiming().note())
                .name("qemu_nanos").value(nanos(r.qemuNanos()))
                .name("qemu_ratio").value(round3(r.qemuRatio()))
                .name("qemu_note").value(r.qemuTiming().note())
                .name("jdk").value(r.jdk())
                .name("host_cpus").value(r.hostCpus())
                .endObject()
                .toString();
    }

    private static Long nanos(Double value) {
        return value == null ? null : Math.round(value);
    }

    private static Double round3(Double value) {
        return value == null ? null : Math.round(value * 1_000.0) / 1_000.0;
    }
}
