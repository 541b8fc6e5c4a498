package dev.rehype.recovery.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures process-mode restarts: runs the standard system under a supervisor and, each time the
 * warm spare is ready and the guests have run for a while since the last restart, kills the
 * hypervisor process with SIGKILL and waits for the restart; each {@link RestartRecord} carries
 * the latency from the kill to the guests running again. Runs more systems (seeds {@code seed},
 * {@code seed + 1}, ...) when one finishes before enough restarts. Every run's guests are still
 * judged: a run whose VMs did not all finish correctly (or that was stopped early with a VM wrong)
 * is reported through {@link Result#incorrectRuns()}.
 */
public final class ProcessRestartBench {
    /** Virtual cycles the guests run between a restart and the next kill. */
    public static final long CYCLES_BETWEEN_KILLS = 200_000;

    /** The restarts measured, and how many runs ended with a VM that was not correct. */
    public record Result(List<RestartRecord> restarts, int runs, int incorrectRuns) {
        public Result {
            restarts = List.copyOf(restarts);
        }
    }

    private ProcessRestartBench() {
    }

    /** Measures {@code count} restarts of the standard system's hypervisor process. */
    public static Result measure(ProcessOptions base, int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        List<RestartRecord> all = new ArrayList<>();
        int runs = 0;
        int incorrect = 0;
        long seed = base.config().seed();
        while (all.size() < count) {
            ProcessOptions options = new ProcessOptions(base.system(),
                    new dev.rehype.hypervisor.system.SystemConfig(base.config().cpus(), seed + runs,
                            base.config().machineMemoryBytes(), base.config().maxDomains(), base.config().maxVcpus()),
                    base.policy(), base.maxCycles(), 0, 0, 0, "", count - all.size(), base.workDir(), true,
                    base.startupCache());
            try (ProcessSupervisor supervisor = new ProcessSupervisor(options)) {
                Thread killer = Thread.ofPlatform().daemon().name("rehype-bench-killer")
                        .start(() -> killWhenReady(supervisor));
                ProcessRunReport report = supervisor.run();
                killer.interrupt();
                runs++;
                all.addAll(report.restarts());
                boolean stoppedEarly = report.restarts().size() >= options.stopAfterRestarts();
                if (report.lostReason() != null || (!stoppedEarly && !report.allCorrect())) {
                    incorrect++;
                }
                if (report.restarts().isEmpty() && report.finished()) {
                    throw new IOException("the system finished before the first kill; no restart measured");
                }
            }
        }
        return new Result(all.subList(0, count), runs, incorrect);
    }

    private static void killWhenReady(ProcessSupervisor supervisor) {
        try {
            long lastCycles = -1;
            int seen = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long now = supervisor.machine().nowCycles();
                boolean ran = lastCycles < 0 ? now > 0 : now - lastCycles >= CYCLES_BETWEEN_KILLS;
                if (supervisor.hypervisorPid() > 0 && supervisor.spareReady() && !supervisor.restarting() && ran
                        && supervisor.killHypervisor() > 0) {
                    while (supervisor.restarts().size() == seen && !Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1);
                    }
                    seen = supervisor.restarts().size();
                    lastCycles = supervisor.machine().nowCycles();
                }
                Thread.sleep(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
