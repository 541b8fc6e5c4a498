package dev.rehype.machine;

/**
 * The hypervisor as the harts see it: what runs when a hart leaves the guest. The hart's state
 * (pc at the trapping instruction, registers, {@link Hart#trapCause()}, {@link Hart#trapValue()},
 * {@link Hart#trapGuestPhysical()}) is as the trap left it; the handler changes whatever it
 * needs (for example pc += 4 after a hypercall) before returning.
 */
@FunctionalInterface
public interface TrapHandler {
    /** Handles the trap the hart reports; returns the virtual cycles the hypervisor spent. */
    long onTrap(Hart hart);
}
