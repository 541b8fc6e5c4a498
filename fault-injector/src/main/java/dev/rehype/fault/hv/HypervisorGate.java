package dev.rehype.fault.hv;

import dev.rehype.hypervisor.image.EntryContext;
import dev.rehype.machine.Hart;
import dev.rehype.machine.TrapHandler;

import java.util.List;

/**
 * Stands between the machine and the hypervisor (with ReHype around it) during an injection run
 * and names what each hypervisor entry handles ({@link EntryContext}: {@code hypercall:<name>},
 * {@code irq:<timer|external|ipi>} or {@code trap:<cause>}) so that triggers can count only
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

    /** The handler the hypervisor is entered for on {@code hart} ({@link EntryContext#of}). */
    public static String context(Hart hart) {
        return EntryContext.of(hart);
    }
}
