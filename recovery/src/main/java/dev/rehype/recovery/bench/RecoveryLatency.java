package dev.rehype.recovery.bench;

import dev.rehype.recovery.RecoveryMode;

import java.util.Arrays;
import java.util.List;

/**
 * The measured latencies of one configuration: every recovery's wall-clock time from detection
 * to guests resumed (sorted), the recovering thread's own CPU time in each (sorted; the wall
 * time less what the host gave other processes), the median time of each phase, the median wall time a pristine image
 * took to be loaded and made warm off the recovery path (0 for microreset), how many systems were
 * booted to get
 * them (a system that finishes its workloads is judged and replaced by a fresh one; the last one is
 * run to its end once the recoveries are measured), how many of the systems that finished were
 * correct, the latest virtual time at which a system's failures started (once every domain was
 * built: 0 for host-built systems) and the largest AppVM's memory then.
 */
public record RecoveryLatency(BenchSystem system, RecoveryMode mode, long[] sortedNanos, long[] sortedCpuNanos,
                              List<PhaseMedian> phases,
                              long preparationMedianNanos, int systemsBooted, int systemsFinished,
                              int systemsCorrect, long failuresStartCycles, double appVmMib) {
    /** The median wall-clock time of one recovery phase across the measured recoveries. */
    public record PhaseMedian(String name, long medianNanos) {
    }

    public RecoveryLatency {
        sortedNanos = sortedNanos.clone();
        Arrays.sort(sortedNanos);
        sortedCpuNanos = sortedCpuNanos.clone();
        Arrays.sort(sortedCpuNanos);
        phases = List.copyOf(phases);
        if (sortedNanos.length == 0) {
            throw new IllegalArgumentException("no recovery measured");
        }
    }

    @Override
    public long[] sortedNanos() {
        return sortedNanos.clone();
    }

    @Override
    public long[] sortedCpuNanos() {
        return sortedCpuNanos.clone();
    }

    /** The 99th percentile of the recovering thread's own CPU time (host preemption left out), ms. */
    public double cpuP99Ms() {
        return sortedCpuNanos.length == 0 ? 0 : quantile(sortedCpuNanos, 0.99) / 1e6;
    }

    public double cpuP50Ms() {
        return sortedCpuNanos.length == 0 ? 0 : quantile(sortedCpuNanos, 0.50) / 1e6;
    }

    public int recoveries() {
        return sortedNanos.length;
    }

    /** The {@code q}-quantile (nearest rank) in nanoseconds, 0 < q <= 1. */
    public long quantileNanos(double q) {
        return quantile(sortedNanos, q);
    }

    public double p50Ms() {
        return quantileNanos(0.50) / 1e6;
    }

    public double p99Ms() {
        return quantileNanos(0.99) / 1e6;
    }

    public double maxMs() {
        return sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    /** Nearest-rank quantile of a sorted, non-empty sample. */
    static long quantile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
