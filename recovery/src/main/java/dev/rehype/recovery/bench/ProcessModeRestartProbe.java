package dev.rehype.recovery.bench;

import dev.rehype.recovery.process.ProcessOptions;
import dev.rehype.recovery.process.ProcessRestartBench;
import dev.rehype.recovery.process.RestartRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The recovery bench's process-mode restarts, measured for real: the host-built system runs under
 * a supervisor (process mode), the hypervisor's JVM is killed with SIGKILL whenever its warm spare
 * is ready, and each restart is timed from the kill to the guests running again
 * ({@link ProcessRestartBench}). Runs whose VMs did not all end correctly are named in the note.
 */
public final class ProcessModeRestartProbe implements ProcessRestartProbe {
    private final long seed;

    public ProcessModeRestartProbe(long seed) {
        this.seed = seed;
    }

    @Override
    public ProcessRestartLatency measure(int restarts) {
        ProcessRestartBench.Result result;
        try {
            result = ProcessRestartBench.measure(ProcessOptions.defaults(seed), restarts);
        } catch (IOException e) {
            throw new UncheckedIOException("process-mode restarts: " + e.getMessage(), e);
        }
        List<RestartRecord> records = result.restarts();
        long[] nanos = new long[records.size()];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = records.get(i).latencyNanos();
        }
        String note = result.incorrectRuns() == 0 ? null
                : result.incorrectRuns() + " of " + result.runs() + " process-mode runs ended with a VM not correct";
        return new ProcessRestartLatency(nanos, note);
    }
}
