package dev.rehype.fault;

import java.util.List;

/** Guest register names: {@code x0}..{@code x31}, the RISC-V ABI names, and {@code pc} (index 32). */
public final class GuestRegisters {
    public static final int PC = 32;
    private static final List<String> ABI = List.of("zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1",
            "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
            "s11", "t3", "t4", "t5", "t6");

    private GuestRegisters() {
    }

    /** The index of register {@code name} (1..31, or {@link #PC}); x0 cannot be faulted. */
    public static int index(String name) {
        if (name.equals("pc")) {
            return PC;
        }
        int i = ABI.indexOf(name.equals("fp") ? "s0" : name);
        if (i < 0 && name.startsWith("x")) {
            try {
                i = Integer.parseInt(name.substring(1));
            } catch (NumberFormatException e) {
                i = -1;
            }
        }
        if (i < 1 || i > 31) {
            throw new FaultPlanException("guest register '" + name + "': expected x1..x31, an ABI name (ra, sp, a0, ...) "
                    + "or pc");
        }
        return i;
    }

    public static String abiName(int index) {
        return index == PC ? "pc" : ABI.get(index);
    }
}
