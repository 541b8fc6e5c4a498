package dev.rehype.hypervisor.core;

import dev.rehype.hypervisor.image.HangDetected;
import dev.rehype.hypervisor.image.Watchdog;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.SpinLockLayout;

/**
 * The hypervisor's spinlocks. Their words (owner pCPU + 1, depth) live in the preserved region so
 * that recovery can see which locks a failed hypervisor held. Acquiring a lock another pCPU holds
 * spins: every turn charges {@link #SPIN_ITERATION_CYCLES} to the {@link Watchdog} and asks
 * whether the owner could ever release it — only a pCPU inside the hypervisor can. The machine
 * runs one hart at a time and the hypervisor never blocks inside a trap, so the owner is never
 * inside: the lock is a leftover of a failed execution, and the spin is reported at its first
 * turn as {@link HangDetected} naming the lock and its owner (the watchdog's lock-spin detector).
 */
final class SpinLocks {
    /** Virtual cycles charged to the watchdog for one turn of a spin on a held lock. */
    static final long SPIN_ITERATION_CYCLES = 20;

    private final CoreState state;

    SpinLocks(CoreState state) {
        this.state = state;
    }

    void acquire(int lock, int cpu) {
        long at = state.layout.lock(lock);
        for (;;) {
            int owner = Fields.u32(state.s, at + SpinLockLayout.OWNER);
            if (owner == 0) {
                Fields.u32(state.s, at + SpinLockLayout.OWNER, cpu + 1);
                Fields.u32(state.s, at + SpinLockLayout.DEPTH, 1);
                return;
            }
            if (owner == cpu + 1) {
                Fields.u32(state.s, at + SpinLockLayout.DEPTH, Fields.u32(state.s, at + SpinLockLayout.DEPTH) + 1);
                return;
            }
            Watchdog.charge(SPIN_ITERATION_CYCLES);
            if (Watchdog.current().cpu() != owner - 1) {
                throw new HangDetected("cpu " + cpu + " spins on lock " + lock + " held by cpu " + (owner - 1)
                        + ", which is not inside the hypervisor");
            }
        }
    }

    void release(int lock, int cpu) {
        long at = state.layout.lock(lock);
        int owner = Fields.u32(state.s, at + SpinLockLayout.OWNER);
        if (owner != cpu + 1) {
            throw new HypervisorPanic("cpu " + cpu + " releases lock " + lock + " it does not hold (owner "
                    + (owner - 1) + ")");
        }
        int depth = Fields.u32(state.s, at + SpinLockLayout.DEPTH) - 1;
        Fields.u32(state.s, at + SpinLockLayout.DEPTH, depth);
        if (depth == 0) {
            Fields.u32(state.s, at + SpinLockLayout.OWNER, 0);
        }
    }

    /** The lock's owner pCPU, or -1 when free. */
    int owner(int lock) {
        return Fields.u32(state.s, state.layout.lock(lock) + SpinLockLayout.OWNER) - 1;
    }

    /** Checks that {@code cpu} holds no lock (at every trap exit). */
    void assertNoneHeld(int cpu) {
        for (int i = 0; i < state.layout.lockCount(); i++) {
            if (owner(i) == cpu) {
                throw new HypervisorPanic("cpu " + cpu + " leaves the hypervisor holding lock " + i);
            }
        }
    }
}
