package dev.rehype.machine;

import dev.rehype.machine.snapshot.HartState;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One hardware thread of the machine: an RV32IMA + Zicsr + Zifencei interpreter running guest
 * code in S-mode (the guest kernel) and U-mode (its processes), with the hypervisor above it in
 * Java. What the RISC-V hypervisor extension would call HS-mode is {@link TrapHandler}: ecalls
 * from the guest kernel, guest-page faults, virtual instructions (wfi), undelegated exceptions
 * and host interrupts leave the guest and call it.
 *
 * <p>Addresses go through two stages: the guest's Sv32 tables when its satp enables them
 * (virtual → guest-physical), then the hypervisor's second stage, the P2M (guest-physical →
 * machine, with R/W/X per page; see {@link Sv32}). A software TLB per access type caches the
 * composition; {@link #flushTlb()} (sfence.vma, satp and second-stage changes) drops it.
 * Decoded instructions are cached per machine frame ({@link DecodedPage}); frames with decoded
 * code never enter the write TLB, so every store to code takes the slow path that drops the
 * decoded copy.
 *
 * <p>Timing: one instruction is one cycle; the hypervisor's handler returns the cycles it spent.
 * The machine runs each hart for a window of virtual time; inside a window the hart's clock is
 * the window start plus what it has used.
 */
public final class Hart implements StateHashable, dev.rehype.machine.port.HartPort {
    public static final int MODE_U = 0;
    public static final int MODE_S = 1;

    public static final int ACCESS_LOAD = 0;
    public static final int ACCESS_STORE = 1;
    public static final int ACCESS_FETCH = 2;

    static final int TLB_ENTRIES = 256;
    private static final int TLB_MASK = TLB_ENTRIES - 1;
    private static final int NO_TAG = -1;
    private static final int NO_PAGE = 1;
    private static final int SCOUNTEREN_BITS = 0b111;

    private static final ValueLayout.OfInt INT_LE = PhysicalMemory.INT_LE;
    private static final ValueLayout.OfShort SHORT_LE = PhysicalMemory.SHORT_LE;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final int id;
    private final Machine machine;
    private final PhysicalMemory memory;
    private final MemorySegment ram;
    private final long ramBytes;
    private final GuestTrap trap = new GuestTrap();

    // Architectural state. x[32] is a sink for writes to x0 and is never read.
    final int[] x = new int[33];
    private int pc;
    private int mode = MODE_S;
    private int sstatus;
    private int sie;
    private int ssip;
    private int stvec;
    private int sepc;
    private int scause;
    private int stval;
    private int satp;
    private int sscratch;
    /** Which counters U-mode may read (CY, TM, IR); all at reset. */
    private int scounteren = SCOUNTEREN_BITS;
    private long instret;

    // What the hypervisor controls.
    private int virtualInterrupts;
    private int delegation;
    private long secondStageRoot = -1;
    private boolean halted;

    // The last trap reported to the hypervisor.
    private int trapCause;
    private int trapValue;
    private long trapGuestPhysical;

    private long reservation = -1;
    private long timeCycles;

    // Software TLB: tag = vpn | mode << 20; base = machine address of the frame.
    private final int[] readTag = new int[TLB_ENTRIES];
    private final long[] readBase = new long[TLB_ENTRIES];
    private final int[] writeTag = new int[TLB_ENTRIES];
    private final long[] writeBase = new long[TLB_ENTRIES];
    private final int[] fetchTag = new int[TLB_ENTRIES];
    private final long[] fetchBase = new long[TLB_ENTRIES];

    /** Set by a slow path when the hart should leave its loop (host interrupt, stop, halt). */
    private boolean leave;

    // Instruction alarm (fault injection): off the per-instruction path, it only bounds windows.
    private InstructionAlarm alarm;
    private long alarmRoot = -1;
    private long alarmInstret;

    Hart(int id, Machine machine, PhysicalMemory memory) {
        this.id = id;
        this.machine = machine;
        this.memory = memory;
        this.ram = memory.segment();
        this.ramBytes = memory.sizeBytes();
        flushTlb();
    }

    // ---------------------------------------------------------------- interpreter

    /**
     * Runs guest code from hart-local time {@code startCycles} for at most {@code limitCycles};
     * returns the cycles used (at least 1 unless the hart is halted on entry).
     */
    long runGuest(long startCycles, long limitCycles) {
        if (alarm != null && secondStageRoot == alarmRoot) {
            timeCycles = startCycles;
            limitCycles = alarmWindow(limitCycles, 0);
        }
        final int[] x = this.x;
        final MemorySegment ram = this.ram;
        final int[] readTag = this.readTag;
        final long[] readBase = this.readBase;
        final int[] writeTag = this.writeTag;
        final long[] writeBase = this.writeBase;
        long retiredBase = instret;
        long limit = limitCycles;
        long used = 0;
        long unretired = 0;
        int pc = this.pc;
        int modeTag = mode << 20;
        DecodedPage page = null;
        int[] ops = null;
        int[] imms = null;
        int pageVa = NO_PAGE;
        leave = false;
        timeCycles = startCycles;

        outer:
        while (used < limit) {
            try {
                int irq = pendingGuestInterrupt();
                if (irq != 0) {
                    this.pc = pc;
                    enterGuestTrap(TrapCause.INTERRUPT | irq, 0);
                    pc = this.pc;
                    modeTag = mode << 20;
                    pageVa = NO_PAGE;
                }
                while (used < limit) {
                    used++;
                    if ((pc & 0xfffff000) != pageVa) {
                        page = fetchPage(pc);
                        ops = page.ops;
                        imms = page.imms;
                        pageVa = pc & 0xfffff000;
                    }
                    final int slot = (pc >>> 2) & 0x3ff;
                    int w = ops[slot];
                    if (w == 0) {
                        w = page.decode(slot, memory);
                    }
                    final int imm = imms[slot];
                    switch (w & 0xff) {
                        case Op.ADDI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] + imm;
                        case Op.ADD -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] + x[w >>> 24];
                        case Op.SUB -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] - x[w >>> 24];
                        case Op.LUI -> x[(w >>> 8) & 0x3f] = imm;
                        case Op.AUIPC -> x[(w >>> 8) & 0x3f] = pc + imm;
                        case Op.ANDI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] & imm;
                        case Op.ORI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] | imm;
                        case Op.XORI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] ^ imm;
                        case Op.SLTI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] < imm ? 1 : 0;
                        case Op.SLTIU -> x[(w >>> 8) & 0x3f] =
                                Integer.compareUnsigned(x[(w >>> 16) & 0x1f], imm) < 0 ? 1 : 0;
                        case Op.SLLI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] << imm;
                        case Op.SRLI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] >>> imm;
                        case Op.SRAI -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] >> imm;
                        case Op.AND -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] & x[w >>> 24];
                        case Op.OR -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] | x[w >>> 24];
                        case Op.XOR -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] ^ x[w >>> 24];
                        case Op.SLL -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] << x[w >>> 24];
                        case Op.SRL -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] >>> x[w >>> 24];
                        case Op.SRA -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] >> x[w >>> 24];
                        case Op.SLT -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] < x[w >>> 24] ? 1 : 0;
                        case Op.SLTU -> x[(w >>> 8) & 0x3f] =
                                Integer.compareUnsigned(x[(w >>> 16) & 0x1f], x[w >>> 24]) < 0 ? 1 : 0;
                        case Op.MUL -> x[(w >>> 8) & 0x3f] = x[(w >>> 16) & 0x1f] * x[w >>> 24];
                        case Op.MULH -> x[(w >>> 8) & 0x3f] =
                                (int) (((long) x[(w >>> 16) & 0x1f] * (long) x[w >>> 24]) >> 32);
                        case Op.MULHSU -> x[(w >>> 8) & 0x3f] =
                                (int) (((long) x[(w >>> 16) & 0x1f] * (x[w >>> 24] & 0xffffffffL)) >> 32);
                        case Op.MULHU -> x[(w >>> 8) & 0x3f] = (int) (((x[(w >>> 16) & 0x1f] & 0xffffffffL)
                                * (x[w >>> 24] & 0xffffffffL)) >>> 32);
                        case Op.DIV -> {
                            int b = x[w >>> 24];
                            x[(w >>> 8) & 0x3f] = b == 0 ? -1 : x[(w >>> 16) & 0x1f] / b;
                        }
                        case Op.DIVU -> {
                            int b = x[w >>> 24];
                            x[(w >>> 8) & 0x3f] = b == 0 ? -1 : Integer.divideUnsigned(x[(w >>> 16) & 0x1f], b);
                        }
                        case Op.REM -> {
                            int b = x[w >>> 24];
                            int a = x[(w >>> 16) & 0x1f];
                            x[(w >>> 8) & 0x3f] = b == 0 ? a : a % b;
                        }
                        case Op.REMU -> {
                            int b = x[w >>> 24];
                            int a = x[(w >>> 16) & 0x1f];
                            x[(w >>> 8) & 0x3f] = b == 0 ? a : Integer.remainderUnsigned(a, b);
                        }
                        case Op.LW -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if ((va & 3) == 0 && readTag[s] == ((va >>> 12) | modeTag)) {
                                x[(w >>> 8) & 0x3f] = ram.get(INT_LE, readBase[s] | (va & 0xfff));
                            } else {
                                x[(w >>> 8) & 0x3f] = loadSlow(va, 4);
                                if (leave) {
                                    limit = used;
                                }
                            }
                        }
                        case Op.LBU -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if (readTag[s] == ((va >>> 12) | modeTag)) {
                                x[(w >>> 8) & 0x3f] = ram.get(BYTE, readBase[s] | (va & 0xfff)) & 0xff;
                            } else {
                                x[(w >>> 8) & 0x3f] = loadSlow(va, 1) & 0xff;
                            }
                        }
                        case Op.LB -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if (readTag[s] == ((va >>> 12) | modeTag)) {
                                x[(w >>> 8) & 0x3f] = ram.get(BYTE, readBase[s] | (va & 0xfff));
                            } else {
                                x[(w >>> 8) & 0x3f] = (byte) loadSlow(va, 1);
                            }
                        }
                        case Op.LHU -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if ((va & 1) == 0 && readTag[s] == ((va >>> 12) | modeTag)) {
                                x[(w >>> 8) & 0x3f] = ram.get(SHORT_LE, readBase[s] | (va & 0xfff)) & 0xffff;
                            } else {
                                x[(w >>> 8) & 0x3f] = loadSlow(va, 2) & 0xffff;
                            }
                        }
                        case Op.LH -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if ((va & 1) == 0 && readTag[s] == ((va >>> 12) | modeTag)) {
                                x[(w >>> 8) & 0x3f] = ram.get(SHORT_LE, readBase[s] | (va & 0xfff));
                            } else {
                                x[(w >>> 8) & 0x3f] = (short) loadSlow(va, 2);
                            }
                        }
                        case Op.SW -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if ((va & 3) == 0 && writeTag[s] == ((va >>> 12) | modeTag)) {
                                ram.set(INT_LE, writeBase[s] | (va & 0xfff), x[w >>> 24]);
                            } else {
                                storeSlow(va, x[w >>> 24], 4);
                                pageVa = NO_PAGE;
                                if (leave) {
                                    limit = used;
                                }
                            }
                        }
                        case Op.SB -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if (writeTag[s] == ((va >>> 12) | modeTag)) {
                                ram.set(BYTE, writeBase[s] | (va & 0xfff), (byte) x[w >>> 24]);
                            } else {
                                storeSlow(va, x[w >>> 24], 1);
                                pageVa = NO_PAGE;
                            }
                        }
                        case Op.SH -> {
                            int va = x[(w >>> 16) & 0x1f] + imm;
                            int s = (va >>> 12) & TLB_MASK;
                            if ((va & 1) == 0 && writeTag[s] == ((va >>> 12) | modeTag)) {
                                ram.set(SHORT_LE, writeBase[s] | (va & 0xfff), (short) x[w >>> 24]);
                            } else {
                                storeSlow(va, x[w >>> 24], 2);
                                pageVa = NO_PAGE;
                            }
                        }
                        case Op.BEQ -> {
                            if (x[(w >>> 16) & 0x1f] == x[w >>> 24]) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.BNE -> {
                            if (x[(w >>> 16) & 0x1f] != x[w >>> 24]) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.BLT -> {
                            if (x[(w >>> 16) & 0x1f] < x[w >>> 24]) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.BGE -> {
                            if (x[(w >>> 16) & 0x1f] >= x[w >>> 24]) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.BLTU -> {
                            if (Integer.compareUnsigned(x[(w >>> 16) & 0x1f], x[w >>> 24]) < 0) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.BGEU -> {
                            if (Integer.compareUnsigned(x[(w >>> 16) & 0x1f], x[w >>> 24]) >= 0) {
                                pc = branch(pc, imm);
                                continue;
                            }
                        }
                        case Op.JAL -> {
                            int target = branch(pc, imm);
                            x[(w >>> 8) & 0x3f] = pc + 4;
                            pc = target;
                            continue;
                        }
                        case Op.JALR -> {
                            int target = (x[(w >>> 16) & 0x1f] + imm) & ~1;
                            if ((target & 3) != 0) {
                                throw trap.set(TrapCause.FETCH_MISALIGNED, target, 0);
                            }
                            x[(w >>> 8) & 0x3f] = pc + 4;
                            pc = target;
                            continue;
                        }
                        case Op.FENCE -> {
                            // One thread: memory is always coherent.
                        }
                        case Op.FENCE_I -> pageVa = NO_PAGE;
                        default -> {
                            // System instructions, CSRs, atomics and illegal encodings.
                            this.pc = pc;
                            instret = retiredBase + used - 1 - unretired;
                            timeCycles = startCycles + used;
                            system(w, imm, page, pc);
                            pc = this.pc;
                            modeTag = mode << 20;
                            pageVa = NO_PAGE;
                            if (leave) {
                                limit = used;
                            }
                            continue outer;
                        }
                    }
                    pc += 4;
                }
            } catch (GuestTrap t) {
                unretired++;
                this.pc = pc;
                int cause = t.cause;
                if (cause >= 0 && cause < 32 && ((delegation >>> cause) & 1) != 0) {
                    enterGuestTrap(cause, t.tval);
                } else {
                    instret = retiredBase + used - unretired;
                    timeCycles = startCycles + used;
                    long spent = hypervisorTrap(cause, t.tval, t.gpa);
                    used += spent;
                    unretired += spent;
                    // The hypervisor may have switched vCPU and loaded another instret: count on from it.
                    retiredBase = instret - (used - unretired);
                    if (leave) {
                        limit = used;
                    }
                    if (alarm != null && secondStageRoot == alarmRoot) {
                        limit = Math.min(limit, used + Math.max(0, alarmInstret - instret));
                    }
                }
                pc = this.pc;
                modeTag = mode << 20;
                pageVa = NO_PAGE;
            }
        }
        this.pc = pc;
        instret = retiredBase + used - unretired;
        timeCycles = startCycles + used;
        if (alarm != null && secondStageRoot == alarmRoot && instret >= alarmInstret) {
            alarmWindow(0, used);
        }
        return used;
    }

    /**
     * Fires the instruction alarm while it is due (the callback may re-arm it), then returns
     * {@code limit} bounded so that the window ends when the alarm is next due ({@code used}
     * cycles of the window already spent).
     */
    private long alarmWindow(long limit, long used) {
        while (alarm != null && secondStageRoot == alarmRoot && instret >= alarmInstret) {
            InstructionAlarm a = alarm;
            alarm = null;
            a.due(this);
        }
        if (alarm != null && secondStageRoot == alarmRoot) {
            return Math.min(limit, used + (alarmInstret - instret));
        }
        return limit;
    }

    /**
     * Arms the instruction alarm: {@code callback} is called once, between two instructions, when
     * this hart runs with second-stage root {@code secondStageRootMfn} (one domain) and its
     * retired-instruction count has reached {@code atInstret}. Only bounds the hart's run windows;
     * nothing is added to the per-instruction path. The callback may change the hart's registers,
     * pc and memory, and may re-arm the alarm.
     */
    public void setInstructionAlarm(long secondStageRootMfn, long atInstret, InstructionAlarm callback) {
        this.alarmRoot = secondStageRootMfn;
        this.alarmInstret = atInstret;
        this.alarm = callback;
    }

    /** Disarms the instruction alarm. */
    public void clearInstructionAlarm() {
        this.alarm = null;
        this.alarmRoot = -1;
    }

    private int branch(int pc, int offset) {
        int target = pc + offset;
        if ((target & 3) != 0) {
            throw trap.set(TrapCause.FETCH_MISALIGNED, target, 0);
        }
        return target;
    }

    /** Executes a system, CSR or atomic instruction at {@code pc}; leaves the next pc in the field. */
    private void system(int w, int imm, DecodedPage page, int pc) {
        int op = Op.op(w);
        int rd = Op.rd(w);
        int rs1 = Op.rs1(w);
        switch (op) {
            case Op.ECALL -> throw trap.set(mode == MODE_U ? TrapCause.ECALL_FROM_U : TrapCause.ECALL_FROM_S, 0, 0);
            case Op.EBREAK -> throw trap.set(TrapCause.BREAKPOINT, pc, 0);
            case Op.ILLEGAL -> throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, imm, 0);
            case Op.SRET -> {
                if (mode == MODE_U) {
                    throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, imm, 0);
                }
                int s = sstatus;
                mode = (s & Csr.SSTATUS_SPP) != 0 ? MODE_S : MODE_U;
                s = (s & Csr.SSTATUS_SPIE) != 0 ? s | Csr.SSTATUS_SIE : s & ~Csr.SSTATUS_SIE;
                sstatus = (s | Csr.SSTATUS_SPIE) & ~Csr.SSTATUS_SPP;
                this.pc = sepc;
                return;
            }
            case Op.WFI -> {
                if (mode == MODE_U) {
                    throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, imm, 0);
                }
                throw trap.set(TrapCause.VIRTUAL_INSTRUCTION, imm, 0);
            }
            case Op.SFENCE_VMA -> {
                if (mode == MODE_U) {
                    throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, imm, 0);
                }
                flushTlb();
            }
            case Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI -> csrInstruction(op, rd, rs1, imm, page, pc);
            case Op.LR_W, Op.SC_W, Op.AMOSWAP_W, Op.AMOADD_W, Op.AMOXOR_W, Op.AMOAND_W, Op.AMOOR_W, Op.AMOMIN_W,
                 Op.AMOMAX_W, Op.AMOMINU_W, Op.AMOMAXU_W -> atomic(op, rd, rs1, Op.rs2(w));
            default -> throw new IllegalStateException("decoder produced unknown op " + op);
        }
        this.pc = pc + 4;
    }

    private void csrInstruction(int op, int rd, int rs1, int csr, DecodedPage page, int pc) {
        boolean immediate = op >= Op.CSRRWI;
        int operand = immediate ? rs1 : x[rs1];
        int kind = immediate ? op - 3 : op;
        boolean writes = kind == Op.CSRRW || rs1 != 0;
        boolean reads = kind != Op.CSRRW || rd != Op.SINK;
        boolean readOnly = (csr >>> 10) == 3;
        int privilege = (csr >>> 8) & 3;
        if (privilege > mode || (readOnly && writes) || !csrExists(csr)) {
            throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, instructionBits(page, pc), 0);
        }
        if (mode == MODE_U && (csr == Csr.CYCLE || csr == Csr.TIME || csr == Csr.INSTRET || csr == Csr.CYCLEH
                || csr == Csr.TIMEH || csr == Csr.INSTRETH) && ((scounteren >>> (csr & 0x1f)) & 1) == 0) {
            throw trap.set(TrapCause.ILLEGAL_INSTRUCTION, instructionBits(page, pc), 0);
        }
        int old = reads || kind != Op.CSRRW ? readCsr(csr) : 0;
        if (writes) {
            // Read-modify-write uses only the software-writable part: for sip, the guest's own SSIP,
            // never what the hypervisor asserts.
            int base = csr == Csr.SIP ? ssip : old;
            int value = switch (kind) {
                case Op.CSRRW -> operand;
                case Op.CSRRS -> base | operand;
                default -> base & ~operand;
            };
            writeCsr(csr, value);
        }
        x[rd] = old;
    }

    private static boolean csrExists(int csr) {
        return switch (csr) {
            case Csr.SSTATUS, Csr.SIE, Csr.STVEC, Csr.SCOUNTEREN, Csr.SSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL,
                 Csr.SIP, Csr.SATP, Csr.CYCLE, Csr.TIME, Csr.INSTRET, Csr.CYCLEH, Csr.TIMEH, Csr.INSTRETH -> true;
            default -> false;
        };
    }

    private int readCsr(int csr) {
        return switch (csr) {
            case Csr.SSTATUS -> sstatus;
            case Csr.SIE -> sie;
            case Csr.STVEC -> stvec;
            case Csr.SCOUNTEREN -> scounteren;
            case Csr.SSCRATCH -> sscratch;
            case Csr.SEPC -> sepc;
            case Csr.SCAUSE -> scause;
            case Csr.STVAL -> stval;
            case Csr.SIP -> sip();
            case Csr.SATP -> satp;
            case Csr.CYCLE, Csr.INSTRET -> (int) instret;
            case Csr.CYCLEH, Csr.INSTRETH -> (int) (instret >>> 32);
            case Csr.TIME -> (int) timeCycles;
            case Csr.TIMEH -> (int) (timeCycles >>> 32);
            default -> throw new IllegalStateException("unchecked CSR 0x" + Integer.toHexString(csr));
        };
    }

    private void writeCsr(int csr, int value) {
        switch (csr) {
            case Csr.SSTATUS -> setSstatus(value);
            case Csr.SIE -> sie = value & Csr.INTERRUPT_BITS;
            case Csr.STVEC -> stvec = value & ~2;
            case Csr.SCOUNTEREN -> scounteren = value & SCOUNTEREN_BITS;
            case Csr.SSCRATCH -> sscratch = value;
            case Csr.SEPC -> sepc = value & ~3;
            case Csr.SCAUSE -> scause = value;
            case Csr.STVAL -> stval = value;
            case Csr.SIP -> ssip = value & Csr.SSIP;
            case Csr.SATP -> setSatp(value);
            default -> throw new IllegalStateException("unchecked CSR 0x" + Integer.toHexString(csr));
        }
    }

    private void atomic(int op, int rd, int rs1, int rs2) {
        int va = x[rs1];
        if ((va & 3) != 0) {
            throw trap.set(TrapCause.STORE_MISALIGNED, va, 0);
        }
        if (op == Op.LR_W) {
            long ma = translate(va, ACCESS_LOAD);
            if (ma >= ramBytes) {
                throw trap.set(TrapCause.LOAD_ACCESS, va, 0);
            }
            x[rd] = memory.read32(ma);
            reservation = ma;
            return;
        }
        long ma = translate(va, ACCESS_STORE);
        if (ma >= ramBytes) {
            throw trap.set(TrapCause.STORE_ACCESS, va, 0);
        }
        int src = x[rs2];
        if (op == Op.SC_W) {
            boolean ok = reservation == ma;
            reservation = -1;
            if (ok) {
                memory.write32(ma, src);
            }
            x[rd] = ok ? 0 : 1;
            return;
        }
        int old = memory.read32(ma);
        int result = switch (op) {
            case Op.AMOSWAP_W -> src;
            case Op.AMOADD_W -> old + src;
            case Op.AMOXOR_W -> old ^ src;
            case Op.AMOAND_W -> old & src;
            case Op.AMOOR_W -> old | src;
            case Op.AMOMIN_W -> Math.min(old, src);
            case Op.AMOMAX_W -> Math.max(old, src);
            case Op.AMOMINU_W -> Integer.compareUnsigned(old, src) <= 0 ? old : src;
            default -> Integer.compareUnsigned(old, src) >= 0 ? old : src;
        };
        memory.write32(ma, result);
        x[rd] = old;
    }

    private int instructionBits(DecodedPage page, int pc) {
        return memory.read32((page.mfn << PhysicalMemory.FRAME_SHIFT) | (pc & 0xfff));
    }

    // ---------------------------------------------------------------- memory slow paths

    private DecodedPage fetchPage(int pc) {
        if ((pc & 3) != 0) {
            throw trap.set(TrapCause.FETCH_MISALIGNED, pc, 0);
        }
        int vpn = pc >>> 12;
        int s = vpn & TLB_MASK;
        int tag = vpn | mode << 20;
        long base;
        if (fetchTag[s] == tag) {
            base = fetchBase[s];
        } else {
            long ma = translate(pc, ACCESS_FETCH);
            if (ma >= ramBytes) {
                throw trap.set(TrapCause.FETCH_ACCESS, pc, 0);
            }
            base = ma & ~0xfffL;
            fetchTag[s] = tag;
            fetchBase[s] = base;
        }
        int mfn = (int) (base >>> PhysicalMemory.FRAME_SHIFT);
        DecodedPage page = memory.decoded[mfn];
        if (page == null) {
            page = new DecodedPage(mfn);
            memory.decoded[mfn] = page;
            machine.dropWriteMappings(base);
        }
        return page;
    }

    private int loadSlow(int va, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.set(TrapCause.LOAD_MISALIGNED, va, 0);
        }
        long ma = translate(va, ACCESS_LOAD);
        if (ma >= ramBytes) {
            if (size != 4) {
                throw trap.set(TrapCause.LOAD_ACCESS, va, 0);
            }
            int value = machine.mmioRead(ma);
            leave = machine.hostInterruptPending(this);
            return value;
        }
        int s = (va >>> 12) & TLB_MASK;
        readTag[s] = (va >>> 12) | mode << 20;
        readBase[s] = ma & ~0xfffL;
        return switch (size) {
            case 1 -> ram.get(BYTE, ma);
            case 2 -> ram.get(SHORT_LE, ma);
            default -> ram.get(INT_LE, ma);
        };
    }

    private void storeSlow(int va, int value, int size) {
        if ((va & (size - 1)) != 0) {
            throw trap.set(TrapCause.STORE_MISALIGNED, va, 0);
        }
        long ma = translate(va, ACCESS_STORE);
        if (ma >= ramBytes) {
            if (size != 4) {
                throw trap.set(TrapCause.STORE_ACCESS, va, 0);
            }
            machine.mmioWrite(ma, value);
            leave = machine.hostInterruptPending(this);
            return;
        }
        long base = ma & ~0xfffL;
        if (memory.decoded[(int) (base >>> PhysicalMemory.FRAME_SHIFT)] == null) {
            int s = (va >>> 12) & TLB_MASK;
            writeTag[s] = (va >>> 12) | mode << 20;
            writeBase[s] = base;
        }
        switch (size) {
            case 1 -> memory.write8(ma, value);
            case 2 -> memory.write16(ma, value);
            default -> memory.write32(ma, value);
        }
    }

    /** Virtual → machine address for an access by the current mode; throws the trap it raises. */
    private long translate(int va, int access) {
        long gpa = (satp & Csr.SATP_MODE_SV32) != 0 ? walkGuest(va, access) : va & 0xffffffffL;
        return secondStage(gpa, access, va);
    }

    private long walkGuest(int va, int access) {
        long table = (long) (satp & Csr.SATP_PPN_MASK) << 12;
        int pte = readGuestPte(table + (long) (va >>> 22) * 4, access, va);
        long gpa;
        if (!validPte(pte)) {
            throw pageFault(access, va);
        }
        if (Sv32.isLeaf(pte)) {
            long ppn = Sv32.ppn(pte);
            if ((ppn & 0x3ff) != 0) {
                throw pageFault(access, va);
            }
            gpa = ((ppn >>> 10) << 22) | (va & 0x3fffffL);
        } else {
            table = Sv32.ppn(pte) << 12;
            pte = readGuestPte(table + (long) ((va >>> 12) & 0x3ff) * 4, access, va);
            if (!validPte(pte) || !Sv32.isLeaf(pte)) {
                throw pageFault(access, va);
            }
            gpa = (Sv32.ppn(pte) << 12) | (va & 0xfffL);
        }
        checkLeaf(pte, access, va);
        return gpa;
    }

    private static boolean validPte(int pte) {
        return (pte & Sv32.V) != 0 && !((pte & Sv32.R) == 0 && (pte & Sv32.W) != 0);
    }

    private void checkLeaf(int pte, int access, int va) {
        boolean userPage = (pte & Sv32.U) != 0;
        if (mode == MODE_U && !userPage) {
            throw pageFault(access, va);
        }
        if (mode == MODE_S && userPage && (access == ACCESS_FETCH || (sstatus & Csr.SSTATUS_SUM) == 0)) {
            throw pageFault(access, va);
        }
        boolean allowed = switch (access) {
            case ACCESS_FETCH -> (pte & Sv32.X) != 0;
            case ACCESS_STORE -> (pte & Sv32.W) != 0;
            default -> (pte & Sv32.R) != 0 || ((sstatus & Csr.SSTATUS_MXR) != 0 && (pte & Sv32.X) != 0);
        };
        if (!allowed || (pte & Sv32.A) == 0 || (access == ACCESS_STORE && (pte & Sv32.D) == 0)) {
            throw pageFault(access, va);
        }
    }

    private int readGuestPte(long gpa, int access, int va) {
        long ma = secondStage(gpa, access, va, Sv32.R);
        if (ma >= ramBytes) {
            throw accessFault(access, va);
        }
        return memory.read32(ma);
    }

    private long secondStage(long gpa, int access, int va) {
        int need = switch (access) {
            case ACCESS_FETCH -> Sv32.X;
            case ACCESS_STORE -> Sv32.W;
            default -> Sv32.R;
        };
        return secondStage(gpa, access, va, need);
    }

    private long secondStage(long gpa, int access, int va, int need) {
        long ma;
        if (secondStageRoot < 0) {
            ma = gpa;
        } else {
            if ((gpa >>> 32) != 0) {
                throw guestPageFault(access, va, gpa);
            }
            int g = (int) gpa;
            long table = secondStageRoot << 12;
            int pte = readP2m(table + (long) (g >>> 22) * 4, access, va);
            if (!validPte(pte)) {
                throw guestPageFault(access, va, gpa);
            }
            if (Sv32.isLeaf(pte)) {
                long ppn = Sv32.ppn(pte);
                if ((ppn & 0x3ff) != 0) {
                    throw guestPageFault(access, va, gpa);
                }
                ma = ((ppn >>> 10) << 22) | (g & 0x3fffffL);
            } else {
                pte = readP2m((Sv32.ppn(pte) << 12) + (long) ((g >>> 12) & 0x3ff) * 4, access, va);
                if (!validPte(pte) || !Sv32.isLeaf(pte)) {
                    throw guestPageFault(access, va, gpa);
                }
                ma = (Sv32.ppn(pte) << 12) | (g & 0xfffL);
            }
            if ((pte & need) == 0) {
                throw guestPageFault(access, va, gpa);
            }
        }
        if (ma < ramBytes || machine.isMmio(ma)) {
            return ma;
        }
        throw accessFault(access, va);
    }

    private int readP2m(long ma, int access, int va) {
        if (ma < 0 || ma > ramBytes - 4) {
            throw accessFault(access, va);
        }
        return memory.read32(ma);
    }

    private GuestTrap pageFault(int access, int va) {
        int cause = switch (access) {
            case ACCESS_FETCH -> TrapCause.FETCH_PAGE_FAULT;
            case ACCESS_STORE -> TrapCause.STORE_PAGE_FAULT;
            default -> TrapCause.LOAD_PAGE_FAULT;
        };
        return trap.set(cause, va, 0);
    }

    private GuestTrap guestPageFault(int access, int va, long gpa) {
        int cause = switch (access) {
            case ACCESS_FETCH -> TrapCause.FETCH_GUEST_PAGE_FAULT;
            case ACCESS_STORE -> TrapCause.STORE_GUEST_PAGE_FAULT;
            default -> TrapCause.LOAD_GUEST_PAGE_FAULT;
        };
        return trap.set(cause, va, gpa);
    }

    private GuestTrap accessFault(int access, int va) {
        int cause = switch (access) {
            case ACCESS_FETCH -> TrapCause.FETCH_ACCESS;
            case ACCESS_STORE -> TrapCause.STORE_ACCESS;
            default -> TrapCause.LOAD_ACCESS;
        };
        return trap.set(cause, va, 0);
    }

    // ---------------------------------------------------------------- traps and interrupts

    /** The guest interrupt to take now (code 1, 5 or 9), or 0. */
    private int pendingGuestInterrupt() {
        int pending = sip() & sie;
        if (pending == 0 || (mode == MODE_S && (sstatus & Csr.SSTATUS_SIE) == 0)) {
            return 0;
        }
        if ((pending & Csr.SEIP) != 0) {
            return TrapCause.IRQ_EXTERNAL;
        }
        if ((pending & Csr.SSIP) != 0) {
            return TrapCause.IRQ_SOFTWARE;
        }
        return TrapCause.IRQ_TIMER;
    }

    private void enterGuestTrap(int cause, int tval) {
        sepc = pc;
        scause = cause;
        stval = tval;
        int s = sstatus & ~(Csr.SSTATUS_SPP | Csr.SSTATUS_SPIE | Csr.SSTATUS_SIE);
        if (mode == MODE_S) {
            s |= Csr.SSTATUS_SPP;
        }
        if ((sstatus & Csr.SSTATUS_SIE) != 0) {
            s |= Csr.SSTATUS_SPIE;
        }
        sstatus = s;
        mode = MODE_S;
        int base = stvec & ~3;
        pc = cause < 0 && (stvec & 3) == 1 ? base + 4 * (cause & ~TrapCause.INTERRUPT) : base;
        reservation = -1;
    }

    /**
     * Set by the hypervisor once it has saved the trapping vCPU's context in this trap (cleared at
     * every trap): until then the hart's registers, not the preserved context, are the authority
     * for the guest it was running — what recovery must know after a failure early in the trap.
     */
    private boolean trapContextSaved;

    @Override
    public void contextSaved() {
        trapContextSaved = true;
    }

    /** True once the hypervisor has saved the trapping vCPU's context in the current trap. */
    public boolean trapContextSaved() {
        return trapContextSaved;
    }

    /** Leaves the guest for the hypervisor; returns the cycles it spent. */
    long hypervisorTrap(int cause, int tval, long gpa) {
        trapCause = cause;
        trapValue = tval;
        trapGuestPhysical = gpa;
        reservation = -1;
        trapContextSaved = false;
        long spent = machine.handler().onTrap(this);
        if (spent < 0) {
            throw new IllegalStateException("trap handler returned negative cycles " + spent);
        }
        leave = halted || machine.hostInterruptPending(this);
        return spent;
    }

    /** Delivers a host interrupt to the hypervisor at hart-local time {@code nowCycles}. */
    long deliverHostInterrupt(int cause, long nowCycles) {
        timeCycles = nowCycles;
        return hypervisorTrap(cause, 0, 0);
    }

    // ---------------------------------------------------------------- what the hypervisor uses

    public int id() {
        return id;
    }

    public int pc() {
        return pc;
    }

    public void setPc(int pc) {
        this.pc = pc;
    }

    /** Register x{@code i}; x0 reads 0. */
    public int reg(int i) {
        return i == 0 ? 0 : x[i];
    }

    /** Sets register x{@code i}; writes to x0 are ignored. */
    public void setReg(int i, int value) {
        if (i != 0) {
            x[i] = value;
        }
    }

    public int mode() {
        return mode;
    }

    public void setMode(int mode) {
        if (mode != MODE_U && mode != MODE_S) {
            throw new IllegalArgumentException("mode must be MODE_U or MODE_S, got " + mode);
        }
        this.mode = mode;
    }

    public int sstatus() {
        return sstatus;
    }

    public void setSstatus(int value) {
        int changed = (sstatus ^ value) & (Csr.SSTATUS_SUM | Csr.SSTATUS_MXR);
        sstatus = value & Csr.SSTATUS_WRITABLE;
        if (changed != 0) {
            flushTlb();
        }
    }

    public int sie() {
        return sie;
    }

    public void setSie(int value) {
        sie = value & Csr.INTERRUPT_BITS;
    }

    /** sip as the guest reads it: what the hypervisor asserts, plus the guest's own SSIP. */
    public int sip() {
        return virtualInterrupts | ssip;
    }

    /** Sets the guest-writable part of sip (SSIP). */
    public void setGuestSip(int value) {
        ssip = value & Csr.SSIP;
    }

    public int stvec() {
        return stvec;
    }

    public void setStvec(int value) {
        stvec = value & ~2;
    }

    public int sepc() {
        return sepc;
    }

    public void setSepc(int value) {
        sepc = value & ~3;
    }

    public int scause() {
        return scause;
    }

    public void setScause(int value) {
        scause = value;
    }

    public int stval() {
        return stval;
    }

    public void setStval(int value) {
        stval = value;
    }

    public int satp() {
        return satp;
    }

    public void setSatp(int value) {
        satp = value & Csr.SATP_WRITABLE;
        flushTlb();
    }

    public int sscratch() {
        return sscratch;
    }

    public void setSscratch(int value) {
        sscratch = value;
    }

    public int scounteren() {
        return scounteren;
    }

    public void setScounteren(int value) {
        scounteren = value & SCOUNTEREN_BITS;
    }

    /** Instructions retired (the guest's cycle and instret counters). */
    public long instret() {
        return instret;
    }

    public void setInstret(long value) {
        instret = value;
    }

    /** The hart's clock: virtual cycles, valid inside a trap handler and between runs. */
    public long timeCycles() {
        return timeCycles;
    }

    /** The virtual interrupts the hypervisor asserts for the guest (sip bits STIP, SEIP, SSIP). */
    public int virtualInterrupts() {
        return virtualInterrupts;
    }

    public void assertVirtualInterrupts(int mask) {
        virtualInterrupts |= mask & Csr.INTERRUPT_BITS;
    }

    public void clearVirtualInterrupts(int mask) {
        virtualInterrupts &= ~mask;
    }

    /** Which exceptions go straight to the guest kernel (bit n = cause n), like hedeleg. */
    public int delegation() {
        return delegation;
    }

    public void setDelegation(int mask) {
        delegation = mask & TrapCause.DELEGABLE_MASK;
    }

    /** The machine frame of the second-stage root table, or -1 when guest-physical = machine. */
    public long secondStageRoot() {
        return secondStageRoot;
    }

    public void setSecondStageRoot(long mfn) {
        secondStageRoot = mfn < 0 ? -1 : mfn;
        flushTlb();
    }

    /** Drops every cached translation (sfence.vma, satp or second-stage changes). */
    public void flushTlb() {
        java.util.Arrays.fill(readTag, NO_TAG);
        java.util.Arrays.fill(writeTag, NO_TAG);
        java.util.Arrays.fill(fetchTag, NO_TAG);
    }

    /** Drops write mappings of the frame at machine address {@code frameBase} (it now holds code). */
    void dropWriteMapping(long frameBase) {
        for (int i = 0; i < TLB_ENTRIES; i++) {
            if (writeTag[i] != NO_TAG && writeBase[i] == frameBase) {
                writeTag[i] = NO_TAG;
            }
        }
    }

    /**
     * Reports to {@code memory} every frame this hart holds a write mapping of: it may store
     * there through its fast path without telling memory, so the frame's digest is stale from
     * now until the mapping is gone ({@link Machine#hashInto}).
     */
    void reportWritableFrames(PhysicalMemory memory) {
        for (int i = 0; i < TLB_ENTRIES; i++) {
            if (writeTag[i] != NO_TAG) {
                memory.hashStale((int) (writeBase[i] >>> PhysicalMemory.FRAME_SHIFT));
            }
        }
    }

    /** Drops the LR reservation (the machine does this when it switches harts). */
    void dropReservation() {
        reservation = -1;
    }

    /** Stops fetching until {@link #resume()}; host interrupts still reach the hypervisor. */
    public void halt() {
        halted = true;
    }

    public void resume() {
        halted = false;
    }

    public boolean halted() {
        return halted;
    }

    public int trapCause() {
        return trapCause;
    }

    /** tval of the last trap: the faulting address, or the instruction bits. */
    public int trapValue() {
        return trapValue;
    }

    /** The faulting guest-physical address of the last guest-page fault (like htval). */
    public long trapGuestPhysical() {
        return trapGuestPhysical;
    }

    /** Makes the guest kernel take {@code cause} now, as if the hardware had delegated it. */
    public void injectGuestTrap(int cause, int tval) {
        enterGuestTrap(cause, tval);
    }

    /**
     * Translates a guest virtual address as the guest's current mode would, for the hypervisor
     * (copying hypercall arguments): the machine address, or -1 where the guest would fault.
     */
    public long translateForHypervisor(int va, int access) {
        try {
            return translate(va, access);
        } catch (GuestTrap t) {
            return -1;
        }
    }

    /** Translates a guest-physical address through the second stage, or -1 where it faults. */
    public long guestPhysicalToMachine(long gpa, int access) {
        try {
            return secondStage(gpa, access, (int) gpa);
        } catch (GuestTrap t) {
            return -1;
        }
    }

    /** This hart's architectural and hypervisor-controlled state, for a snapshot (no caches). */
    public HartState exportState() {
        int[] regs = new int[HartState.REGISTERS];
        System.arraycopy(x, 1, regs, 1, HartState.REGISTERS - 1);
        return new HartState(id, regs, pc, mode, sstatus, sie, ssip, stvec, sepc, scause, stval, satp, sscratch,
                scounteren, instret, virtualInterrupts, delegation, secondStageRoot, halted, trapCause, trapValue,
                trapGuestPhysical, reservation, timeCycles);
    }

    /**
     * Takes the state of a snapshot of the hart with the same number, as stored (no write masks
     * applied), and drops every cached translation. Decoded instructions belong to machine memory:
     * whoever restores memory invalidates them ({@link PhysicalMemory#invalidateAllCode()}).
     */
    public void importState(HartState s) {
        if (s.id() != id) {
            throw new IllegalArgumentException("snapshot of hart " + s.id() + " imported into hart " + id);
        }
        if (s.mode() != MODE_U && s.mode() != MODE_S) {
            throw new IllegalArgumentException("hart " + id + ": mode must be MODE_U or MODE_S, got " + s.mode());
        }
        System.arraycopy(s.x(), 1, x, 1, HartState.REGISTERS - 1);
        x[0] = 0;
        x[32] = 0;
        pc = s.pc();
        mode = s.mode();
        sstatus = s.sstatus();
        sie = s.sie();
        ssip = s.ssip();
        stvec = s.stvec();
        sepc = s.sepc();
        scause = s.scause();
        stval = s.stval();
        satp = s.satp();
        sscratch = s.sscratch();
        scounteren = s.scounteren();
        instret = s.instret();
        virtualInterrupts = s.virtualInterrupts();
        delegation = s.delegation();
        secondStageRoot = s.secondStageRoot() < 0 ? -1 : s.secondStageRoot();
        halted = s.halted();
        trapCause = s.trapCause();
        trapValue = s.trapValue();
        trapGuestPhysical = s.trapGuestPhysical();
        reservation = s.reservation();
        timeCycles = s.timeCycles();
        leave = false;
        flushTlb();
    }

    @Override
    public void hashInto(StateHasher h) {
        h.putTag("hart").putInt(id);
        for (int i = 1; i < 32; i++) {
            h.putInt(x[i]);
        }
        h.putInt(pc).putInt(mode).putInt(sstatus).putInt(sie).putInt(ssip).putInt(stvec).putInt(sepc)
                .putInt(scause).putInt(stval).putInt(satp).putInt(sscratch).putInt(scounteren).putLong(instret)
                .putInt(virtualInterrupts).putInt(delegation).putLong(secondStageRoot).putBoolean(halted)
                .putInt(trapCause).putInt(trapValue).putLong(trapGuestPhysical).putLong(reservation);
    }

    @Override
    public String toString() {
        return "hart" + id + "{pc=0x" + Integer.toHexString(pc) + ", mode=" + (mode == MODE_S ? "S" : "U")
                + (halted ? ", halted" : "") + "}";
    }
}
