package dev.rehype.fault.hv;

import dev.rehype.machine.Hart;
import dev.rehype.machine.TrapCause;
import dev.rehype.machine.TrapHandler;

import java.util.List;

/**
 * Stands between the machine and the hypervisor (with ReHype around it) during an injection run
 * and names what each hypervisor entry handles — {@code hypercall:<name>},
 * {@code irq:<timer|external|ipi>} or {@code trap:<cause>} — so that triggers can count only
 * inside a chosen handler, and tells its {@link EntryHook}s about every entry and exit.
 */
public final class HypervisorGate implements TrapHandler {
    private final TrapHandler inner;
    private final List<EntryHook> hooks;

    public HypervisorGate(TrapHandler inner, List<EntryHook> hooks) {
        this.inner = inner;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public long onTrap(Hart hart) {
        String context = context(hart);
        for (EntryHook h : hooks) {
            h.enter(hart, context);
        }
        try {
            return inner.onTrap(hart);
        } finally {
            for (EntryHook h : hooks) {
                h.leave(hart);
            }
        }
    }

    /** The handler the hypervisor is entered for on {@code hart}, from its trap cause (and a7 for hypercalls). */
    public static String context(Hart hart) {
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

    /** {@code hypercall:<name>} by hypercall number, made once (a context is named at every entry). */
    private static final String[] HYPERCALLS = new String[64];

    static {
        for (int i = 0; i < HYPERCALLS.length; i++) {
            HYPERCALLS[i] = "hypercall:" + hypercallName(i);
        }
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
