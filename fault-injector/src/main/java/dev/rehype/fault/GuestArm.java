package dev.rehype.fault;

import dev.rehype.guests.GuestImage;
import dev.rehype.hypervisor.image.DomainStatus;
import dev.rehype.hypervisor.system.HostSystem;
import dev.rehype.machine.Hart;
import dev.rehype.machine.Machine;
import dev.rehype.machine.TrapCause;
import dev.rehype.region.layout.DomainLayout;
import dev.rehype.region.layout.Fields;
import dev.rehype.region.layout.VcpuLayout;

/**
 * A fault in a guest domain: at the trigger time, every hart's instruction alarm is set for the
 * domain's vCPU 0 at nth instructions from its count then; when it is due (on whichever hart runs
 * the domain), the fault waits for the chosen mode if needed, instruction by instruction, and is
 * applied between two instructions: a register bit, a code or data word bit, a forced kernel
 * crash (an illegal-instruction trap taken in kernel mode), or an infinite loop written over the
 * next instruction.
 */
final class GuestArm implements ArmedFault {
    /** Instructions stepped waiting for the chosen mode before giving up. */
    static final int MAX_MODE_STEPS = 2_000_000;
    /** {@code jal x0, 0}: jump to itself. */
    static final int LOOP_INSTRUCTION = 0x0000006f;

    private final int index;
    private final Fault fault;
    private final HostSystem system;
    private final GuestImage image;
    private int domid = -1;
    private long root;
    private int steps;
    private Activation activation;
    private String why = "the run ended before the trigger time";
    private boolean pending;

    GuestArm(int index, Fault fault, HostSystem system, GuestImage image) {
        this.index = index;
        this.fault = fault;
        this.system = system;
        this.image = image;
    }

    @Override
    public long armAtCycles() {
        return fault.trigger().afterCycles();
    }

    @Override
    public void arm() {
        domid = domainOf(fault.target());
        pending = domid < 0;
        if (pending) {
            why = "no running domain for target " + fault.target() + " from the trigger time to the end of the run";
            return;
        }
        root = Fields.u32(system.coreState(), system.layout().domain(domid) + DomainLayout.P2M_ROOT) & 0xffffffffL;
        long count = Fields.u64(system.coreState(), system.layout().vcpu(domid, 0) + VcpuLayout.INSTRET);
        Machine m = system.machine();
        for (int i = 0; i < m.hartCount(); i++) {
            if (m.hart(i).secondStageRoot() == root) {
                count = Math.max(count, m.hart(i).instret());
            }
        }
        setAlarms(count + fault.trigger().nth());
        why = "domain d" + domid + " retired fewer than " + fault.trigger().nth() + " instructions after the trigger";
    }

    @Override
    public boolean pending() {
        return pending;
    }

    private int domainOf(Target t) {
        java.util.List<DomainStatus> domains;
        try {
            domains = system.domains();
        } catch (RuntimeException e) {
            return -1;
        }
        for (DomainStatus d : domains) {
            if (d.isShutdown()) {
                continue;
            }
            boolean match = switch (t.kind()) {
                case HYPERVISOR -> false;
                case DOM0 -> d.domid() == 0 && d.privileged();
                case APPVM -> d.name().equals(t.name());
                case DRIVER -> t.name().isEmpty() ? GuestAddresses.isDriverName(d.name()) : d.name().equals(t.name());
            };
            if (match) {
                return d.domid();
            }
        }
        return -1;
    }

    private void setAlarms(long atInstret) {
        Machine m = system.machine();
        for (int i = 0; i < m.hartCount(); i++) {
            m.hart(i).setInstructionAlarm(root, atInstret, this::due);
        }
    }

    private void clearAlarms() {
        Machine m = system.machine();
        for (int i = 0; i < m.hartCount(); i++) {
            m.hart(i).clearInstructionAlarm();
        }
    }

    private void due(Hart hart) {
        clearAlarms();
        boolean modeOk = switch (fault.mode()) {
            case ANY -> true;
            case KERNEL -> hart.mode() == Hart.MODE_S;
            case USER -> hart.mode() == Hart.MODE_U;
        };
        if (!modeOk) {
            if (++steps > MAX_MODE_STEPS) {
                why = "domain d" + domid + " ran no instruction in " + fault.mode().label() + " mode within "
                        + MAX_MODE_STEPS + " instructions after the trigger";
                return;
            }
            setAlarms(hart.instret() + 1);
            return;
        }
        activation = apply(hart);
    }

    private Activation apply(Hart hart) {
        int pc = hart.pc();
        String symbol = image == null ? "" : image.symbolize(pc).orElse("");
        long now = hart.timeCycles();
        String mode = hart.mode() == Hart.MODE_S ? "kernel" : "user";
        switch (fault) {
            case RegisterFault r -> {
                int reg = GuestRegisters.index(r.site());
                int b = r.bit() % 32;
                int before = reg == GuestRegisters.PC ? pc : hart.reg(reg);
                int after = before ^ (1 << b);
                if (reg == GuestRegisters.PC) {
                    hart.setPc(after);
                } else {
                    hart.setReg(reg, after);
                }
                return Activation.inGuest(index, fault, domid, pc & 0xffffffffL, symbol, hex(before), hex(after), now,
                        "bit " + b + " of " + GuestRegisters.abiName(reg) + " in " + mode + " mode");
            }
            case CodeFault c -> {
                int va = c.site().equals("pc") ? pc : GuestAddresses.resolve(c.site(), image);
                return flipWord(hart, va, c.bit(), "code", pc, symbol, now, mode);
            }
            case MemoryFault mf -> {
                String where = mf.site().substring(mf.site().indexOf(':') + 1);
                int va = GuestAddresses.resolve(where, image);
                return flipWord(hart, va, mf.bit(), mf.site().startsWith("code:") ? "code" : "data", pc, symbol, now, mode);
            }
            case FailstopFault f -> {
                hart.injectGuestTrap(TrapCause.ILLEGAL_INSTRUCTION, 0);
                return Activation.inGuest(index, fault, domid, pc & 0xffffffffL, symbol, hex(pc), hex(hart.pc()), now,
                        "forced crash: illegal-instruction trap taken in " + mode + " mode (pc before and after)");
            }
            case HangFault h -> {
                long ma = machineAddress(hart, pc, Hart.ACCESS_FETCH);
                if (ma < 0) {
                    return notWritable(pc);
                }
                int before = system.machine().memory().read32(ma);
                system.machine().memory().write32(ma, LOOP_INSTRUCTION);
                return Activation.inGuest(index, fault, domid, pc & 0xffffffffL, symbol, hex(before), hex(LOOP_INSTRUCTION), now,
                        "infinite loop (jal x0, 0) written over the next instruction, in " + mode + " mode");
            }
        }
    }

    private Activation flipWord(Hart hart, int va, int bit, String kind, int pc, String symbol, long now, String mode) {
        long ma = machineAddress(hart, va, kind.equals("code") ? Hart.ACCESS_FETCH : Hart.ACCESS_LOAD);
        if (ma < 0) {
            return notWritable(va);
        }
        int before = system.machine().memory().read32(ma);
        int after = before ^ (1 << (bit % 32));
        system.machine().memory().write32(ma, after);
        String at = image == null ? "" : image.symbolize(va).orElse("");
        return Activation.inGuest(index, fault, domid, pc & 0xffffffffL, symbol, hex(before), hex(after), now,
                "bit " + (bit % 32) + " of the " + kind + " word at 0x" + Integer.toHexString(va)
                        + (at.isEmpty() ? "" : " (" + at + ")") + ", in " + mode + " mode");
    }

    private long machineAddress(Hart hart, int va, int access) {
        long ma = hart.translateForHypervisor(va & ~3, access);
        if (ma < 0 && access == Hart.ACCESS_FETCH) {
            ma = hart.translateForHypervisor(va & ~3, Hart.ACCESS_LOAD);
        }
        return ma;
    }

    private Activation notWritable(int va) {
        why = "guest address 0x" + Integer.toHexString(va) + " is not mapped in domain d" + domid + " at the trigger";
        return null;
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }

    @Override
    public Activation activation() {
        return activation != null ? activation : Activation.notActivated(index, fault, why);
    }
}
