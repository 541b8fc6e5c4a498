package dev.rehype.recovery.process;

import dev.rehype.hypervisor.image.RecoveryPolicy;
import dev.rehype.hypervisor.system.StandardSystem;
import dev.rehype.hypervisor.system.SystemConfig;

import java.nio.file.Path;

/**
 * How to run a system in process mode: which system ({@link ProcessSystem}), the machine's shape,
 * the repair policy and the virtual-time limit; when the supervisor kills the hypervisor process
 * itself — once after {@code killAfterMs} or every {@code killEveryMs} of wall clock (0 = never),
 * and on its own inside traps, at every {@code killInTrapEveryCalls}-th hardware call the
 * hypervisor makes there (0 = never; only in traps handling {@code killInTrapOf}, as
 * {@code EntryContext} names them, e.g. {@code hypercall:domctl}, when it is not empty); after how
 * many restarts to stop early (0 = run to the end; for latency measurements); where the region
 * and mailbox files go ({@code null}: /dev/shm when it exists, else the temporary directory); and
 * whether a warm spare process is kept ready and the JVM's AOT cache used.
 */
public record ProcessOptions(ProcessSystem system, SystemConfig config, RecoveryPolicy policy, long maxCycles,
                             long killAfterMs, long killEveryMs, long killInTrapEveryCalls, String killInTrapOf,
                             int stopAfterRestarts, Path workDir, boolean warmSpare, boolean startupCache) {
    public ProcessOptions {
        killInTrapOf = killInTrapOf == null ? "" : killInTrapOf;
        if (system == null) {
            throw new IllegalArgumentException("a system is needed (host-built or io)");
        }
        if (killAfterMs < 0 || killEveryMs < 0 || killInTrapEveryCalls < 0 || stopAfterRestarts < 0
                || maxCycles <= 0) {
            throw new IllegalArgumentException("kill times, call counts, restart count and cycle limit must not be "
                    + "negative");
        }
        if (killAfterMs > 0 && killEveryMs > 0) {
            throw new IllegalArgumentException("give --kill-after-ms or --kill-every-ms, not both");
        }
    }

    public static ProcessOptions defaults(long seed) {
        return new ProcessOptions(ProcessSystem.HOST_BUILT, SystemConfig.defaults(seed), RecoveryPolicy.all(),
                StandardSystem.DEFAULT_MAX_CYCLES, 0, 0, 0, "", 0, null, true, true);
    }

    public ProcessOptions withSystem(ProcessSystem s) {
        return new ProcessOptions(s, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                killInTrapOf, stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withKillAfterMs(long ms) {
        return new ProcessOptions(system, config, policy, maxCycles, ms, 0, killInTrapEveryCalls, killInTrapOf,
                stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withKillEveryMs(long ms) {
        return new ProcessOptions(system, config, policy, maxCycles, 0, ms, killInTrapEveryCalls, killInTrapOf,
                stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    /** Kills the hypervisor process at every {@code n}-th hardware call it makes inside a trap (0: never). */
    public ProcessOptions withKillInTrapEveryCalls(long n) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, n, killInTrapOf,
                stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    /** Counts (and kills) only inside traps handling {@code context} ("" = any). */
    public ProcessOptions withKillInTrapOf(String context) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                context, stopAfterRestarts, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withStopAfterRestarts(int n) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                killInTrapOf, n, workDir, warmSpare, startupCache);
    }

    public ProcessOptions withWorkDir(Path dir) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                killInTrapOf, stopAfterRestarts, dir, warmSpare, startupCache);
    }

    public ProcessOptions withWarmSpare(boolean on) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                killInTrapOf, stopAfterRestarts, workDir, on, startupCache);
    }

    public ProcessOptions withStartupCache(boolean on) {
        return new ProcessOptions(system, config, policy, maxCycles, killAfterMs, killEveryMs, killInTrapEveryCalls,
                killInTrapOf, stopAfterRestarts, workDir, warmSpare, on);
    }
}
