package dev.rehype.recovery.process;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.nio.file.Path;

/**
 * How to run the standard system in process mode: the system's shape, the repair policy, the
 * virtual-time limit, when the supervisor kills the hypervisor process itself (once after
 * {@code killAfterMs}, or every {@code killEveryMs}; 0 = never), after how many restarts to stop
 * early (0 = run to the end; for latency measurements), where the region and mailbox files go
 * ({@code null}: /dev/shm when it exists, else the temporary directory), and whether a warm spare
 * process is kept ready and the JVM's AOT cache used.
 */
public record ProcessOptions(SystemConfig config, RecoveryPolicy policy, long maxCycles, long killAfterMs,
                             long killEveryMs, int stopAfterRestarts, Path workDir, boolean warmSpare,
                             boolean startupCache) {
    public ProcessOptions {
        if (killAfterMs < 0 || killEveryMs < 0 || stopAfterRestarts < 0 || maxCycles <= 0) {
            throw new IllegalArgumentException("kill times, restart count and cycle limit must not be negative");
        }
        if (killAfterMs > 0 && killEveryMs > 0) {
            throw new IllegalArgumentException("give --kill-after-ms or --kill-every-ms, not both");
        }
    }

    public static ProcessOptions defaults(long seed) {
        return new ProcessOptions(SystemConfig.defaults(seed), RecoveryPolicy.all(), StandardSystem.DEFAULT_MAX_CYCLES,
                0, 0, 0, null, true, true);
    }

    public ProcessOptions withKillAfterMs(long ms) {
        return new ProcessOptions(config, policy, maxCycles, ms, 0, stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withKillEveryMs(long ms) {
        return new ProcessOptions(config, policy, maxCycles, 0, ms, stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withStopAfterRestarts(int n) {
        return new ProcessOptions(config, policy, maxCycles, killAfterMs, killEveryMs, n, workDir, warmSpare,
                startupCache);
    }

    public ProcessOptions withWorkDir(Path dir) {
        return new ProcessOptions(config, policy, maxCycles, killAfterMs, killEveryMs, stopAfterRestarts, dir,
                warmSpare, startupCache);
    }

    public ProcessOptions withWarmSpare(boolean on) {
        return new ProcessOptions(config, policy, maxCycles, killAfterMs, killEveryMs, stopAfterRestarts, workDir, on,
                startupCache);
    }

    public ProcessOptions withStartupCache(boolean on) {
        return new ProcessOptions(config, policy, maxCycles, killAfterMs, killEveryMs, stopAfterRestarts, workDir,
                warmSpare, on);
    }
}
