package dev.rehype.recovery.bench;

import dev.rehype.guests.GuestImageException;
import dev.rehype.recovery.RecoveryMode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rehype bench recovery} without its presentation: microreboot and microreset latency of
 * the standard system with {@link #STANDARD_MIB_PER_VM} MiB per AppVM (Dom0 builds the driver
 * domain and the AppVMs, given that size through its start_info; failures start once it has built
 * them all), microreboot latency by memory size (the standard system with the memory its boot
 * modules give the AppVMs, at most 1 MiB; the same with {@link #STANDARD_MIB_PER_VM} MiB; then
 * {@link #LARGE_APPVMS} compute AppVMs of {@link #LARGE_MIB_PER_VM} MiB, host-built: Dom0's
 * toolstack builds at most 8 domains, the driver domain among them, and the standard system has
 * six AppVMs), and the process-mode restart from the {@link ProcessRestartProbe} it is given — the
 * only place process mode plugs in.
 */
public final class RecoveryBench {
    /** MiB per AppVM of the standard system measured for microreboot and microreset. */
    public static final int STANDARD_MIB_PER_VM = 64;
    public static final int LARGE_APPVMS = 8;
    public static final int LARGE_MIB_PER_VM = 1024;
    /** Process restarts measured (each one boots a child JVM, so fewer than in-process recoveries). */
    public static final int PROCESS_RESTARTS = 20;

    /** Everything measured. */
    public record Result(RecoveryBenchPlan plan, RecoveryLatency microreboot, RecoveryLatency microreset,
                         List<RecoveryLatency> byMemory, ProcessRestartLatency processRestart) {
        public Result {
            byMemory = List.copyOf(byMemory);
        }
    }

    /** Observes the bench: a configuration starts, then its own progress. */
    public interface Progress extends RecoveryLatencyBench.Progress {
        Progress NONE = new Progress() {
        };

        default void starting(String what) {
        }

        default void measured(RecoveryLatency latency) {
        }
    }

    private RecoveryBench() {
    }

    public static Result run(RecoveryBenchPlan plan, ProcessRestartProbe processRestarts, Progress progress)
            throws RecoveryBenchException, GuestImageException {
        BenchSystem standard = BenchSystem.dom0Built(STANDARD_MIB_PER_VM, plan.seed());
        RecoveryLatency microreboot = measure(standard, RecoveryMode.MICROREBOOT, plan, progress);
        RecoveryLatency microreset = measure(standard, RecoveryMode.MICRORESET, plan, progress);
        List<RecoveryLatency> byMemory = new ArrayList<>();
        BenchSystem moduleSized = BenchSystem.dom0Built(plan.seed());
        byMemory.add(measure(moduleSized, RecoveryMode.MICROREBOOT, plan, progress));
        byMemory.add(microreboot);
        BenchSystem large = BenchSystem.computeVms(LARGE_APPVMS, LARGE_MIB_PER_VM, plan.seed());
        byMemory.add(measure(large, RecoveryMode.MICROREBOOT, plan, progress));
        progress.starting("process restart (kill -9), " + PROCESS_RESTARTS + " restarts");
        ProcessRestartLatency restart = processRestarts.measure(PROCESS_RESTARTS);
        return new Result(plan, microreboot, microreset, byMemory, restart);
    }

    private static RecoveryLatency measure(BenchSystem system, RecoveryMode mode, RecoveryBenchPlan plan,
                                           Progress progress) throws RecoveryBenchException {
        progress.starting(mode.name().toLowerCase(java.util.Locale.ROOT) + ", " + system.describe() + ", "
                + plan.warmupRecoveries() + " warm-up + " + plan.recoveries() + " measured recoveries");
        RecoveryLatency latency = RecoveryLatencyBench.measure(system, mode, plan, progress);
        progress.measured(latency);
        return latency;
    }
}
