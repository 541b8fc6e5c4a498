package dev.rehype.hypervisor.core;

/**
 * The hypervisor found itself inconsistent (an always-on invariant check failed) and cannot go
 * on: Xen's panic(). It escapes the trap handler; the recovery layer above detects it.
 */
public final class HypervisorPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HypervisorPanic(String message) {
        super(message);
    }
}
