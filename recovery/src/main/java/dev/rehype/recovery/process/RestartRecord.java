package dev.rehype.recovery.process;

/**
 * One restart of the hypervisor process: why the old one ended, which CPU's trap it abandoned
 * ({@code failedCpu}, -1 when no context was half handled), what that trap was handling
 * ({@code trap}: {@code hypercall:domctl}, {@code irq:timer}, ... as {@code EntryContext} names
 * it; {@code -} when the process died outside a trap), the region generation the new one
 * took, how many repair changes it made, and the latency from the kill (or, for a death the
 * supervisor did not cause, from its detection) to the guests running again, in three parts:
 * kill to detection, waiting for the spare process to be ready, and its recovery (re-attach,
 * repairs, resume) until the machine runs the guests again; of the last, {@code inChildNanos} is
 * the new process's own work (re-attach, instantiate, repair), the rest is the exchange with it.
 */
public record RestartRecord(int index, String cause, long oldPid, long newPid, int failedCpu, String trap,
                            long generation,
                            int repairChanges, long atCycles, long latencyNanos, boolean fromKill,
                            long detectionNanos, long spareWaitNanos, long recoveryNanos, long inChildNanos) {
    public double latencyMillis() {
        return latencyNanos / 1e6;
    }
}
