package dev.rehype.recovery.bench;

import java.util.Arrays;

/**
 * Process-mode restart times (kill -9 to guests running again, wall clock, sorted), or none with
 * the reason they were not measured.
 */
public record ProcessRestartLatency(long[] sortedNanos, String note) {
    public ProcessRestartLatency {
        sortedNanos = sortedNanos.clone();
        Arrays.sort(sortedNanos);
    }

    public static ProcessRestartLatency notMeasured(String why) {
        return new ProcessRestartLatency(new long[0], why);
    }

    public static ProcessRestartLatency of(long[] nanos) {
        return new ProcessRestartLatency(nanos, null);
    }

    @Override
    public long[] sortedNanos() {
        return sortedNanos.clone();
    }

    public boolean measured() {
        return sortedNanos.length > 0;
    }

    /** The median in milliseconds, or null when nothing was measured. */
    public Double p50Ms() {
        return measured() ? RecoveryLatency.quantile(sortedNanos, 0.5) / 1e6 : null;
    }
}
