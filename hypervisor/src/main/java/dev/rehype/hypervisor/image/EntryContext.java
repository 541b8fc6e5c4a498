package dev.rehype.hypervisor.image;

import dev.rehype.machine.Hart;
import dev.rehype.machine.TrapCause;

/**
 * Names what a hypervisor entry handles, from the trapping hart: {@code hypercall:<name>} (a7,
 * named as in Xen's public headers), {@code irq:<timer|external|ipi>} or {@code trap:<cause>}.
 * Fault triggers count inside a named handler by it, and process mode says in which handler a
 * kill cut the hypervisor.
 */
public final class EntryContext {
    /** {@code hypercall:<name>} by hypercall number, made once (a context is named at every entry). */
    private static final String[] HYPERCALLS = new String[64];

    static {
        for (int i = 0; i < HYPERCALLS.length; i++) {
            HYPERCALLS[i] = "hypercall:" + hypercallName(i);
        }
    }

    private EntryContext() {
    }

    /** The handler the hypervisor is entered for on {@code hart}, from its trap cause (and a7 for hypercalls). */
    public static String of(Hart hart) {
        int cause = hart.trapCause();
        return switch (cause) {
            case TrapCause.ECALL_FROM_S -> {
                int number = hart.reg(17);
                yield number >= 0 && number < HYPERCALLS.length ? HYPERCALLS[number] : "hypercall:" + number;
            }
            case TrapCause.HOST_TIMER -> "irq:timer";
            case TrapCause.HOST_EXTERNAL -> "irq:external";
            case TrapCause.HOST_SOFTWARE -> "irq:ipi";
            default -> "trap:" + TrapCause.name(cause);
        };
    }

    /** The hypercall's name as in Xen's public headers, or its number. */
    public static String hypercallName(int number) {
        return switch (number) {
            case 12 -> "memory_op";
            case 13 -> "multicall";
            case 15 -> "set_timer_op";
            case 18 -> "console_io";
            case 20 -> "grant_table_op";
            case 24 -> "vcpu_op";
            case 29 -> "sched_op";
            case 32 -> "event_channel_op";
            case 36 -> "domctl";
            default -> Integer.toString(number);
        };
    }
}
