/*
 * `rehype bench recovery`: how long ReHype takes to recover the hypervisor. It fails the hypervisor
 * again and again inside its trap path and times every recovery, wall clock, from detection to
 * guests resumed: microreboot and microreset of the standard system with 64 MiB per AppVM (Dom0
 * builds the driver domain and the AppVMs; the failures start once it has built them all),
 * microreboot of the standard system with its AppVMs as their boot modules size them and of 8
 * host-built AppVMs of 1 GiB; then the process-mode restart (kill -9 to guests running again) when process
 * mode is available. Prints the derived options first, a line per
 * configuration with its percentiles and median phase times, and the targets met or not; with
 * --json exactly one JSON object on stdout instead.
 */
package dev.rehype.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.rehype.cli.ExitCodes;
import dev.rehype.cli.UserError;
import dev.rehype.cli.VersionProvider;
import dev.rehype.cli.json.JsonWriter;
import dev.rehype.guests.GuestImageException;
import dev.rehype.recovery.bench.ProcessRestartLatency;
import dev.rehype.recovery.bench.ProcessRestartProbe;
import dev.rehype.recovery.bench.RecoveryBench;
import dev.rehype.recovery.bench.RecoveryBenchException;
import dev.rehype.recovery.bench.RecoveryBenchPlan;
import dev.rehype.recovery.bench.RecoveryLatency;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code bench recovery} command. */
@Command(name = "recovery",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Measure in-process microreboot and microreset latency (detection to guests resumed) over "
                + "repeated failstops in the hypervisor's trap path: the standard system (Dom0-built, 64 MiB per "
                + "AppVM; failures start once Dom0 has built every domain), the same with the AppVMs as their boot "
                + "modules size them, and 8 host-built AppVMs of 1 GiB; and the process-mode restart (kill -9 to "
                + "guests running again).")
public final class BenchRecoveryCommand implements Callable<Integer> {
    /** Targets: microreboot p99 of the standard system, of 8 x 1 GiB (NiLiHype's 22 ms), process restart. */
    static final double TARGET_STANDARD_P99_MS = 1.0;
    static final double TARGET_LARGE_P99_MS = 22.0;
    static final double TARGET_PROCESS_RESTART_MS = 100.0;

    private final ProcessRestartProbe processRestarts;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the text report.")
    private boolean json;

    @Option(names = "--seed", description = "Root seed of the systems booted (default: ${DEFAULT-VALUE}).",
            defaultValue = "1")
    private long seed;

    private int recoveries = RecoveryBenchPlan.DEFAULT_RECOVERIES;
    private int warmupRecoveries = RecoveryBenchPlan.DEFAULT_WARMUP_RECOVERIES;

    /** Creates the command; {@code processRestarts} measures process-mode restarts (or says why it cannot). */
    public BenchRecoveryCommand(ProcessRestartProbe processRestarts) {
        this.processRestarts = processRestarts;
    }

    /** Sets the number of measured recoveries per configuration. */
    @Option(names = "--recoveries", paramLabel = "N", defaultValue = "" + RecoveryBenchPlan.DEFAULT_RECOVERIES,
            description = "Measured recoveries per configuration (default: ${DEFAULT-VALUE}; at least "
                    + RecoveryBenchPlan.MIN_RECOVERIES + ").")
    void setRecoveries(int recoveries) {
        if (recoveries < RecoveryBenchPlan.MIN_RECOVERIES) {
            throw new ParameterException(spec.commandLine(),
                    "--recoveries must be at least " + RecoveryBenchPlan.MIN_RECOVERIES + ", got " + recoveries);
        }
        this.recoveries = recoveries;
    }

    /** Sets the number of unmeasured warm-up recoveries per configuration. */
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + RecoveryBenchPlan.DEFAULT_WARMUP_RECOVERIES,
            description = "Unmeasured warm-up recoveries per configuration (default: ${DEFAULT-VALUE}).")
    void setWarmupRecoveries(int warmupRecoveries) {
        if (warmupRecoveries < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must not be negative, got " + warmupRecoveries);
        }
        this.warmupRecoveries = warmupRecoveries;
    }

    @Override
    public Integer call() {
        RecoveryBenchPlan plan = RecoveryBenchPlan.of(recoveries, warmupRecoveries, seed);
        PrintWriter out = spec.commandLine().getOut();
        RecoveryBench.Progress progress = RecoveryBench.Progress.NONE;
        if (!json) {
            out.printf(Locale.ROOT, "bench recovery: seed=%d recoveries=%d warmup=%d gap=%d cycles point=%s jdk=%s "
                            + "host_cpus=%d%n", plan.seed(), plan.recoveries(), plan.warmupRecoveries(), plan.gapCycles(),
                    dev.rehype.recovery.bench.RecoveryLatencyBench.POINT, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            progress = new TextProgress(out);
        }
        RecoveryBench.Result result;
        try {
            result = RecoveryBench.run(plan, processRestarts, progress);
        } catch (GuestImageException e) {
            throw new UserError(e.getMessage(), e);
        } catch (RecoveryBenchException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("rehype bench recovery: " + e.getMessage());
            err.flush();
            return ExitCodes.CHECK_FAILED;
        }
        out.println(json ? toJson(result) : summary(result));
        out.flush();
        return ExitCodes.OK;
    }

    /** The result as one JSON object (times in milliseconds, three decimals). */
    static String toJson(RecoveryBench.Result r) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("system").value(r.microreboot().system().describe())
                .name("failures_start").value(r.microreboot().system().dom0Built()
                        ? "once Dom0 has built every domain (seen in the domain list)" : "at boot")
                .name("failures_start_cycles").value(Math.max(r.microreboot().failuresStartCycles(),
                        r.microreset().failuresStartCycles()))
                .name("microreboot_p50_ms").value(ms(r.microreboot().p50Ms()))
                .name("microreboot_p99_ms").value(ms(r.microreboot().p99Ms()))
                .name("microreset_p50_ms").value(ms(r.microreset().p50Ms()))
                .name("microreset_p99_ms").value(ms(r.microreset().p99Ms()))
                .name("by_memory").beginArray();
        for (RecoveryLatency l : r.byMemory()) {
            w.beginObject()
                    .name("system").value(l.system().name())
                    .name("appvms").value(l.system().appVms());
            if (l.system().mibPerVm() > 0) {
                w.name("mib_per_vm").value(l.system().mibPerVm());
            } else {
                w.name("mib_per_vm").value(ms(l.appVmMib())).name("mib_per_vm_note")
                        .value("the largest AppVM, as Dom0's toolstack sizes them");
            }
            w.name("p50_ms").value(ms(l.p50Ms()))
                    .name("p99_ms").value(ms(l.p99Ms()))
                    .name("max_ms").value(ms(l.maxMs()))
                    .name("cpu_p50_ms").value(ms(l.cpuP50Ms()))
                    .name("cpu_p99_ms").value(ms(l.cpuP99Ms()))
                    .name("failures_start_cycles").value(l.failuresStartCycles())
                    .name("systems_booted").value(l.systemsBooted())
                    .name("systems_correct").value(l.systemsCorrect())
                    .name("recoveries").value(l.recoveries())
                    .name("image_prepare_p50_ms").value(ms(l.preparationMedianNanos() / 1e6))
                    .endObject();
        }
        ProcessRestartLatency restart = r.processRestart();
        w.endArray()
                .name("process_restart_p50_ms").value(restart.p50Ms() == null ? null : ms(restart.p50Ms()))
                .name("process_restart_note").value(restart.note())
                .name("process_restart_system").value(restart.measured() ? "host-built (process mode runs it)" : null)
                .name("microreboot_cpu_p50_ms").value(ms(r.microreboot().cpuP50Ms()))
                .name("microreboot_cpu_p99_ms").value(ms(r.microreboot().cpuP99Ms()))
                .name("microreset_cpu_p50_ms").value(ms(r.microreset().cpuP50Ms()))
                .name("microreset_cpu_p99_ms").value(ms(r.microreset().cpuP99Ms()))
                .name("recoveries").value(r.plan().recoveries())
                .name("warmup").value(r.plan().warmupRecoveries())
                .name("seed").value(r.plan().seed())
                .name("systems_correct").value(correct(r))
                .name("jdk").value(Runtime.version().toString())
                .name("host_cpus").value(Runtime.getRuntime().availableProcessors())
                .name("host_load_avg").value(loadAverage());
        return w.endObject().toString();
    }

    /** True when every system the bench booted ran to its end and was judged correct. */
    private static boolean correct(RecoveryBench.Result r) {
        boolean ok = r.microreset().systemsCorrect() == r.microreset().systemsBooted();
        for (RecoveryLatency l : r.byMemory()) {
            ok &= l.systemsCorrect() == l.systemsBooted();
        }
        return ok;
    }

    static String summary(RecoveryBench.Result r) {
        StringBuilder b = new StringBuilder();
        RecoveryLatency large = r.byMemory().get(r.byMemory().size() - 1);
        ProcessRestartLatency restart = r.processRestart();
        b.append(String.format(Locale.ROOT, "system: %s; failures start %s (at or before cycle %d)%n",
                r.microreboot().system().describe(), r.microreboot().system().dom0Built()
                        ? "once Dom0 has built every domain" : "at boot",
                Math.max(r.microreboot().failuresStartCycles(), r.microreset().failuresStartCycles())));
        b.append(String.format(Locale.ROOT, "microreboot, standard: p50 %.3f ms, p99 %.3f ms  (target p99 <= %.0f ms: %s)%n",
                r.microreboot().p50Ms(), r.microreboot().p99Ms(), TARGET_STANDARD_P99_MS,
                met(r.microreboot().p99Ms() <= TARGET_STANDARD_P99_MS)));
        b.append(String.format(Locale.ROOT, "microreset, standard:  p50 %.3f ms, p99 %.3f ms%n", r.microreset().p50Ms(),
                r.microreset().p99Ms()));
        for (RecoveryLatency l : r.byMemory()) {
            if (l == r.microreboot() || l == large) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "microreboot, %s: p50 %.3f ms, p99 %.3f ms%n", l.system().describe(),
                    l.p50Ms(), l.p99Ms()));
        }
        b.append(String.format(Locale.ROOT, "recovering thread's own CPU time, p99: microreboot %.3f ms, microreset %.3f ms, "
                        + "%d x %d MiB %.3f ms (wall-clock tails above this are the host's scheduler)%n",
                r.microreboot().cpuP99Ms(), r.microreset().cpuP99Ms(), large.system().appVms(), large.system().mibPerVm(),
                large.cpuP99Ms()));
        b.append(String.format(Locale.ROOT, "microreboot, %d x %d MiB: p50 %.3f ms, p99 %.3f ms  (target p99 <= %.0f ms: %s)%n",
                large.system().appVms(), large.system().mibPerVm(), large.p50Ms(), large.p99Ms(), TARGET_LARGE_P99_MS,
                met(large.p99Ms() <= TARGET_LARGE_P99_MS)));
        if (restart.measured()) {
            b.append(String.format(Locale.ROOT, "process restart: p50 %.3f ms  (target <= %.0f ms: %s)%n",
                    restart.p50Ms(), TARGET_PROCESS_RESTART_MS, met(restart.p50Ms() <= TARGET_PROCESS_RESTART_MS)));
        } else {
            b.append("process restart: not measured (").append(restart.note()).append(')').append(System.lineSeparator());
        }
        b.append(correct(r) ? "every system booted ran its workloads to the end correctly"
                : "NOT every system booted ran its workloads to the end correctly");
        Double load = loadAverage();
        if (load != null) {
            b.append(String.format(Locale.ROOT, "%nhost load average %.2f on %d CPUs (wall-clock tails grow with it)", load,
                    Runtime.getRuntime().availableProcessors()));
        }
        return b.toString();
    }

    /** The host's one-minute load average (other processes slow wall-clock figures down), or null. */
    static Double loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : ms(load);
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static double ms(double value) {
        return Math.round(value * 1_000.0) / 1_000.0;
    }

    /** One line per configuration as it starts, per system booted, and per configuration measured. */
    private record TextProgress(PrintWriter out) implements RecoveryBench.Progress {

        @Override
        public void starting(String what) {
            out.println("  " + what + " ...");
            out.flush();
        }

        @Override
        public void booted(String what, long bootNanos) {
            out.printf(Locale.ROOT, "    booted %s in %.1f ms%n", what, bootNanos / 1e6);
            out.flush();
        }

        @Override
        public void measured(RecoveryLatency l) {
            out.printf(Locale.ROOT, "    %s, %s: %d recoveries, p50 %.3f ms, p99 %.3f ms, max %.3f ms (own CPU p50 %.3f, p99 "
                            + "%.3f ms); systems booted %d, "
                            + "finished %d, correct %d; failures from cycle %d; pristine image ready in %.1f ms (median, off the recovery path)%n",
                    l.mode().name().toLowerCase(Locale.ROOT), l.system().describe(), l.recoveries(), l.p50Ms(), l.p99Ms(),
                    l.maxMs(), l.cpuP50Ms(), l.cpuP99Ms(), l.systemsBooted(), l.systemsFinished(), l.systemsCorrect(),
                    l.failuresStartCycles(), l.preparationMedianNanos() / 1e6);
            StringBuilder phases = new StringBuilder("      median phases:");
            for (RecoveryLatency.PhaseMedian p : l.phases()) {
                phases.append(String.format(Locale.ROOT, " %s %.3f;", p.name(), p.medianNanos() / 1e6));
            }
            out.println(phases);
            out.flush();
        }
    }
}
