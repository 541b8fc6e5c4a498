package dev.rehype.hypervisor.core;

import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.SpinLockLayout;

/**
 * The hypervisor's spinlocks. Their words (owner pCPU + 1, depth) live in the preserved region so
 * that recovery can see which locks a failed hypervisor held. The machine runs one hart at a
 * time and the hypervisor never blocks inside a trap, so a lock held by another pCPU can only be
 * one a failed execution left behind: acquiring it would spin forever, which is reported at
 * once as {@link dev.rehype.hypervisor.image.HangDetected} naming the lock and its owner (what a
 * watchdog would find after its bound).
 */
final class SpinLocks {
    private final CoreState state;

    SpinLocks(CoreState state) {
        this.state = state;
    }

    void acquire(int lock, int cpu) {
        long at = state.layout.lock(lock);
        int owner = Fields.u32(state.s, at + SpinLockLayout.OWNER);
        if (owner == 0) {
            Fields.u32(state.s, at + SpinLockLayout.OWNER, cpu + 1);
            Fields.u32(state.s, at + SpinLockLayout.DEPTH, 1);
        } else if (owner == cpu + 1) {
            Fields.u32(state.s, at + SpinLockLayout.DEPTH, Fields.u32(state.s, at + SpinLockLayout.DEPTH) + 1);
        } else {
            throw new dev.rehype.hypervisor.image.HangDetected("cpu " + cpu + " spins on lock " + lock + " held by cpu "
                    + (owner - 1) + ", which is not inside the hypervisor");
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
