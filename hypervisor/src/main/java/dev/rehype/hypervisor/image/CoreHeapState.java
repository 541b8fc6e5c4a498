package dev.rehype.hypervisor.image;

/**
 * The hypervisor's non-preserved state (what lives on the image's heap), for snapshots: the
 * per-pCPU current vCPU, reschedule flags, next tick times and remaining slices, the scheduler's
 * tick count, the run queues in order, and where each domain's console line stands. A microreboot
 * rebuilds all of this from the region instead; a snapshot keeps it so that a restored run is the
 * same run.
 */
public record CoreHeapState(int[] current, boolean[] needResched, long[] nextTickCycles, int[] sliceLeft,
                            long ticks, int[][] runQueues, boolean[] consoleLineStart) {
}
