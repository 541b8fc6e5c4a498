package dev.rehype.recovery.bench;

/**
 * The measurement of process-mode restarts (the hypervisor in a child JVM over a file-backed
 * region, killed with SIGKILL and restarted by its supervisor): the one place the recovery bench
 * asks for them. Until process mode exists, {@link #UNAVAILABLE} answers with the reason.
 */
public interface ProcessRestartProbe {
    /** Answers every request with "not measured" and why. */
    ProcessRestartProbe UNAVAILABLE = restarts -> ProcessRestartLatency.notMeasured(
            "process mode (hypervisor supervise with kill -9 restart) is not available in this build");

    /** Kills and restarts the hypervisor process {@code restarts} times; each kill -9 to guests running again. */
    ProcessRestartLatency measure(int restarts);
}
