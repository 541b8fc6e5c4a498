package dev.rehype.machine.monitor;

/**
 * The bare monitor's call numbers (in a7 at an ecall from the guest kernel). 64 and 93 are
 * Linux's write and exit so that one binary also runs under qemu-riscv32 user mode.
 */
public final class MonitorCall {
    private MonitorCall() {
    }

    /** write(a0 = fd, a1 = buf, a2 = len) → a0 = len. */
    public static final int WRITE = 64;
    /** exit(a0 = code). */
    public static final int EXIT = 93;
    /** set_virq(a0 = mask of SSIP/STIP/SEIP): assert virtual interrupts. */
    public static final int SET_VIRQ = 0x100;
    /** clear_virq(a0 = mask). */
    public static final int CLEAR_VIRQ = 0x101;
    /** set_timer(a0 = delta cycles): fire STIP for the guest delta cycles from now. */
    public static final int SET_TIMER = 0x102;
    /** protect(a0 = gpa, a1 = R=1|W=2|X=4) → a0 = 0, or -1 outside guest RAM. */
    public static final int PROTECT = 0x103;
    /** faults() → a0 = guest-page faults so far, a1 = last guest-physical address, a2 = last cause. */
    public static final int FAULTS = 0x104;
}
