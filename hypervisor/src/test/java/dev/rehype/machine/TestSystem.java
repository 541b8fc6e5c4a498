package dev.rehype.machine;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * A small machine for Java-level tests: guest RAM at guest-physical 0x8000_0000 mapped by a real
 * second-stage table (root in frame 0, one leaf table in frame 1, guest pages from frame 2), a
 * scriptable hypervisor that records every trap, and helpers to place instruction words.
 */
final class TestSystem implements TrapHandler {
    static final int BASE = 0x8000_0000;
    static final int PAGES = 64;
    static final int FIRST_GUEST_FRAME = 2;

    final Machine machine;
    final List<String> traps = new ArrayList<>();
    /** What the hypervisor does on each trap; the default stops on ecall with a7 = 93. */
    TrapHandler onTrap = h -> {
        throw new AssertionError("unexpected trap " + TrapCause.name(h.trapCause()) + " at 0x"
                + Integer.toHexString(h.pc()));
    };

    TestSystem(int harts, long seed) {
        machine = new Machine(MachineConfig.defaults(harts, seed),
                Arena.ofAuto().allocate((long) (FIRST_GUEST_FRAME + PAGES) * PhysicalMemory.FRAME_SIZE, 4096));
        PhysicalMemory mem = machine.memory();
        mem.write32((BASE >>> 22) * 4L, Sv32.pte(1, Sv32.V));
        for (int p = 0; p < PAGES; p++) {
            map(p, FIRST_GUEST_FRAME + p, Sv32.R | Sv32.W | Sv32.X);
        }
        machine.setHypervisor(this);
        for (int i = 0; i < harts; i++) {
            Hart h = machine.hart(i);
            h.setSecondStageRoot(0);
            h.setPc(BASE);
        }
    }

    /** Maps guest page {@code page} (from BASE) onto machine frame {@code mfn} with {@code perms}. */
    void map(int page, long mfn, int perms) {
        int pte = perms == 0 ? 0 : Sv32.pte(mfn, Sv32.V | perms | Sv32.A | Sv32.D);
        machine.memory().write32(PhysicalMemory.FRAME_SIZE + page * 4L, pte);
        machine.flushAllTlbs();
    }

    /** Machine address of guest-physical {@code gpa} under the initial identity-like mapping. */
    static long ma(int gpa) {
        return (long) FIRST_GUEST_FRAME * PhysicalMemory.FRAME_SIZE + (gpa - BASE);
    }

    void code(int gpa, int... words) {
        for (int k = 0; k < words.length; k++) {
            machine.memory().write32(ma(gpa + 4 * k), words[k]);
        }
    }

    @Override
    public long onTrap(Hart hart) {
        traps.add(TrapCause.name(hart.trapCause()) + "@" + Integer.toHexString(hart.pc()));
        return onTrap.onTrap(hart);
    }

    /** A handler that stops the machine at an ecall, halting the hart. */
    static long stopAtEcall(Machine m, Hart h) {
        if (h.trapCause() != TrapCause.ECALL_FROM_S) {
            throw new AssertionError("unexpected trap " + TrapCause.name(h.trapCause()) + " at 0x"
                    + Integer.toHexString(h.pc()) + " tval 0x" + Integer.toHexString(h.trapValue()));
        }
        h.halt();
        m.stop();
        return 10;
    }
}
