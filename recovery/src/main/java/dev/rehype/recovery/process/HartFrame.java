package dev.rehype.recovery.process;

import dev.rehype.machine.Csr;
import dev.rehype.machine.Hart;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The state of one hart as the hypervisor sees it, carried across the mailbox: the guest's
 * registers and supervisor CSRs, the trap's cause and values, the hart's clock, halted. The
 * supervisor reads it from the real {@link Hart} ({@link #load}) and applies the fields the
 * hypervisor wrote, through the hart's own setters ({@link #applyTo}), only when the hypervisor
 * answers the trap — so a hypervisor that dies mid-trap leaves the hart exactly as the trap found it.
 */
final class HartFrame {
    // Indices 0..31 are x0..x31.
    static final int PC = 32;
    static final int MODE = 33;
    static final int SSTATUS = 34;
    static final int SIE = 35;
    static final int SSIP = 36;
    static final int STVEC = 37;
    static final int SEPC = 38;
    static final int SCAUSE = 39;
    static final int STVAL = 40;
    static final int SATP = 41;
    static final int SSCRATCH = 42;
    static final int SCOUNTEREN = 43;
    static final int VIRQ = 44;
    static final int DELEGATION = 45;
    static final int HALTED = 46;
    static final int INSTRET = 47;
    static final int SECOND_STAGE_ROOT = 48;
    // Read-only below: never written by the hypervisor.
    static final int TIME = 49;
    static final int TRAP_CAUSE = 50;
    static final int TRAP_VALUE = 51;
    static final int TRAP_GPA = 52;
    static final int ID = 53;
    static final int FIELDS = 54;
    static final int ENCODED_BYTES = 8 * (FIELDS + 1);

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final long[] v = new long[FIELDS];
    /** Bit i: field i was written by the hypervisor since the frame was loaded. */
    long written;

    /** Reads every field from {@code h} (supervisor side). */
    void load(Hart h) {
        for (int i = 0; i < 32; i++) {
            v[i] = h.reg(i);
        }
        v[PC] = h.pc();
        v[MODE] = h.mode();
        v[SSTATUS] = h.sstatus();
        v[SIE] = h.sie();
        int virq = h.virtualInterrupts();
        v[VIRQ] = virq;
        // sip = virq | ssip: drop the asserted SSIP for a moment to see the guest's own bit.
        h.clearVirtualInterrupts(Csr.SSIP);
        v[SSIP] = h.sip() & Csr.SSIP;
        h.assertVirtualInterrupts(virq & Csr.SSIP);
        v[STVEC] = h.stvec();
        v[SEPC] = h.sepc();
        v[SCAUSE] = h.scause();
        v[STVAL] = h.stval();
        v[SATP] = h.satp();
        v[SSCRATCH] = h.sscratch();
        v[SCOUNTEREN] = h.scounteren();
        v[DELEGATION] = h.delegation();
        v[HALTED] = h.halted() ? 1 : 0;
        v[INSTRET] = h.instret();
        v[SECOND_STAGE_ROOT] = h.secondStageRoot();
        v[TIME] = h.timeCycles();
        v[TRAP_CAUSE] = h.trapCause();
        v[TRAP_VALUE] = h.trapValue();
        v[TRAP_GPA] = h.trapGuestPhysical();
        v[ID] = h.id();
        written = 0;
    }

    /** Applies the written fields to {@code h} through its setters (supervisor side). */
    void applyTo(Hart h) {
        long w = written;
        for (int i = 1; i < 32; i++) {
            if ((w & 1L << i) != 0) {
                h.setReg(i, (int) v[i]);
            }
        }
        if (has(PC)) {
            h.setPc((int) v[PC]);
        }
        if (has(MODE)) {
            h.setMode((int) v[MODE]);
        }
        if (has(SSTATUS)) {
            h.setSstatus((int) v[SSTATUS]);
        }
        if (has(SIE)) {
            h.setSie((int) v[SIE]);
        }
        if (has(SSIP)) {
            h.setGuestSip((int) v[SSIP]);
        }
        if (has(STVEC)) {
            h.setStvec((int) v[STVEC]);
        }
        if (has(SEPC)) {
            h.setSepc((int) v[SEPC]);
        }
        if (has(SCAUSE)) {
            h.setScause((int) v[SCAUSE]);
        }
        if (has(STVAL)) {
            h.setStval((int) v[STVAL]);
        }
        if (has(SATP)) {
            h.setSatp((int) v[SATP]);
        }
        if (has(SSCRATCH)) {
            h.setSscratch((int) v[SSCRATCH]);
        }
        if (has(SCOUNTEREN)) {
            h.setScounteren((int) v[SCOUNTEREN]);
        }
        if (has(VIRQ)) {
            h.clearVirtualInterrupts(-1);
            h.assertVirtualInterrupts((int) v[VIRQ]);
        }
        if (has(DELEGATION)) {
            h.setDelegation((int) v[DELEGATION]);
        }
        if (has(INSTRET)) {
            h.setInstret(v[INSTRET]);
        }
        if (has(SECOND_STAGE_ROOT)) {
            h.setSecondStageRoot(v[SECOND_STAGE_ROOT]);
        }
        if (has(HALTED)) {
            if (v[HALTED] != 0) {
                h.halt();
            } else {
                h.resume();
            }
        }
    }

    private boolean has(int field) {
        return (written & 1L << field) != 0;
    }

    void set(int field, long value) {
        v[field] = value;
        written |= 1L << field;
    }

    /** Writes the frame (written mask first) at {@code at}. */
    void encode(MemorySegment s, long at) {
        s.set(LONG, at, written);
        for (int i = 0; i < FIELDS; i++) {
            s.set(LONG, at + 8 + 8L * i, v[i]);
        }
    }

    void decode(MemorySegment s, long at) {
        written = s.get(LONG, at);
        for (int i = 0; i < FIELDS; i++) {
            v[i] = s.get(LONG, at + 8 + 8L * i);
        }
    }
}
