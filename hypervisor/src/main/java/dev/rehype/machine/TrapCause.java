package dev.rehype.machine;

/**
 * Trap cause numbers, as in the RISC-V privileged specification with the hypervisor extension's
 * numbering for what only a hypervisor sees (ecall from the guest kernel, guest-page faults,
 * virtual instruction). Interrupts carry {@link #INTERRUPT} in the high bit.
 */
public final class TrapCause {
    private TrapCause() {
    }

    public static final int INTERRUPT = 0x8000_0000;

    public static final int FETCH_MISALIGNED = 0;
    public static final int FETCH_ACCESS = 1;
    public static final int ILLEGAL_INSTRUCTION = 2;
    public static final int BREAKPOINT = 3;
    public static final int LOAD_MISALIGNED = 4;
    public static final int LOAD_ACCESS = 5;
    public static final int STORE_MISALIGNED = 6;
    public static final int STORE_ACCESS = 7;
    public static final int ECALL_FROM_U = 8;
    /** ecall from the guest kernel (VS-mode in the hypervisor extension): a hypercall. */
    public static final int ECALL_FROM_S = 10;
    public static final int FETCH_PAGE_FAULT = 12;
    public static final int LOAD_PAGE_FAULT = 13;
    public static final int STORE_PAGE_FAULT = 15;
    public static final int FETCH_GUEST_PAGE_FAULT = 20;
    public static final int LOAD_GUEST_PAGE_FAULT = 21;
    /** wfi in the guest kernel, or another instruction the hypervisor must emulate. */
    public static final int VIRTUAL_INSTRUCTION = 22;
    public static final int STORE_GUEST_PAGE_FAULT = 23;

    /** Interrupt codes: software, timer, external (S-level numbering). */
    public static final int IRQ_SOFTWARE = 1;
    public static final int IRQ_TIMER = 5;
    public static final int IRQ_EXTERNAL = 9;

    /** An inter-processor interrupt from another hart ({@link Machine#sendIpi}). */
    public static final int HOST_SOFTWARE = INTERRUPT | IRQ_SOFTWARE;
    /** The host timer interrupt, delivered to the hypervisor. */
    public static final int HOST_TIMER = INTERRUPT | IRQ_TIMER;
    /** The host external interrupt (the interrupt controller has a deliverable source). */
    public static final int HOST_EXTERNAL = INTERRUPT | IRQ_EXTERNAL;

    /** Exceptions a hypervisor may delegate to the guest kernel. */
    public static final int DELEGABLE_MASK = 1 << FETCH_MISALIGNED | 1 << FETCH_ACCESS | 1 << ILLEGAL_INSTRUCTION
            | 1 << BREAKPOINT | 1 << LOAD_MISALIGNED | 1 << LOAD_ACCESS | 1 << STORE_MISALIGNED | 1 << STORE_ACCESS
            | 1 << ECALL_FROM_U | 1 << FETCH_PAGE_FAULT | 1 << LOAD_PAGE_FAULT | 1 << STORE_PAGE_FAULT;

    public static boolean isInterrupt(int cause) {
        return cause < 0;
    }

    /** A readable name, for reports and errors. */
    public static String name(int cause) {
        if (isInterrupt(cause)) {
            return switch (cause & ~INTERRUPT) {
                case IRQ_SOFTWARE -> "software interrupt";
                case IRQ_TIMER -> "timer interrupt";
                case IRQ_EXTERNAL -> "external interrupt";
                default -> "interrupt " + (cause & ~INTERRUPT);
            };
        }
        return switch (cause) {
            case FETCH_MISALIGNED -> "instruction address misaligned";
            case FETCH_ACCESS -> "instruction access fault";
            case ILLEGAL_INSTRUCTION -> "illegal instruction";
            case BREAKPOINT -> "breakpoint";
            case LOAD_MISALIGNED -> "load address misaligned";
            case LOAD_ACCESS -> "load access fault";
            case STORE_MISALIGNED -> "store/AMO address misaligned";
            case STORE_ACCESS -> "store/AMO access fault";
            case ECALL_FROM_U -> "ecall from U-mode";
            case ECALL_FROM_S -> "ecall from S-mode";
            case FETCH_PAGE_FAULT -> "instruction page fault";
            case LOAD_PAGE_FAULT -> "load page fault";
            case STORE_PAGE_FAULT -> "store/AMO page fault";
            case FETCH_GUEST_PAGE_FAULT -> "instruction guest-page fault";
            case LOAD_GUEST_PAGE_FAULT -> "load guest-page fault";
            case VIRTUAL_INSTRUCTION -> "virtual instruction";
            case STORE_GUEST_PAGE_FAULT -> "store/AMO guest-page fault";
            default -> "cause " + cause;
        };
    }
}
