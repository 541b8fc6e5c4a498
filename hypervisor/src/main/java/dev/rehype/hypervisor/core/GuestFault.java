package dev.rehype.hypervisor.core;

/**
 * A hypercall argument pointed at guest memory the guest cannot access: the hypercall returns
 * -EFAULT. Control flow inside the dispatcher, never an error of the hypervisor.
 */
final class GuestFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GuestFault() {
        super(null, null, false, false);
    }
}
