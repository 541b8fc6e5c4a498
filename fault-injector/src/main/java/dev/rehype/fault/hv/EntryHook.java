package dev.rehype.fault.hv;

import dev.rehype.machine.Hart;

/** Something the {@link HypervisorGate} tells about every hypervisor entry and exit. */
public interface EntryHook {
    /** The hypervisor is entered on {@code hart} to handle {@code context} (see {@link HypervisorGate#context}). */
    void enter(Hart hart, String context);

    /** The hypervisor (and any recovery) has returned to the guest on {@code hart}. */
    void leave(Hart hart);
}
