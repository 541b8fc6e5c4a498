package dev.rehype.machine.monitor;

import dev.rehype.guests.GuestImage;
import dev.rehype.machine.Csr;
import dev.rehype.machine.Hart;
import dev.rehype.machine.Machine;
import dev.rehype.machine.MachineConfig;
import dev.rehype.machine.PhysicalMemory;
import dev.rehype.machine.Sv32;
import dev.rehype.machine.TrapCause;
import dev.rehype.machine.TrapHandler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A minimal "hypervisor" that runs one standalone RISC-V program on a one-hart machine: the
 * machine's test bench and benchmark harness, not the hypervisor core. It maps the program's
 * guest RAM through a real second-stage table, loads the ELF image, delegates the usual
 * exceptions to the program's own S-mode handler, and serves a handful of monitor calls
 * ({@link MonitorCall}): write and exit with Linux's numbers, virtual interrupts, a timer,
 * second-stage protection and a fault log, so that tests can exercise every path a real
 * hypervisor uses.
 *
 * <p>Machine memory layout: frame 0 holds the second-stage root table, frames 1..k the leaf
 * tables, then the guest RAM frames in order.
 */
public final class BareMonitor implements TrapHandler {
    public static final int GUEST_RAM_BASE = 0x8000_0000;
    /** Virtual cycles charged for each entry into the monitor. */
    public static final long TRAP_COST_CYCLES = 50;
    /** Exceptions the program's own handler receives. */
    public static final int DELEGATED = 1 << TrapCause.FETCH_MISALIGNED | 1 << TrapCause.ILLEGAL_INSTRUCTION
            | 1 << TrapCause.BREAKPOINT | 1 << TrapCause.LOAD_MISALIGNED | 1 << TrapCause.STORE_MISALIGNED
            | 1 << TrapCause.ECALL_FROM_U | 1 << TrapCause.FETCH_PAGE_FAULT | 1 << TrapCause.LOAD_PAGE_FAULT
            | 1 << TrapCause.STORE_PAGE_FAULT;
    private static final int WFI = 0x10500073;
    private static final int MAX_WRITE_BYTES = 1 << 20;

    private final Machine machine;
    private final int ramBytes;
    private final long leafTables;
    private final long firstRamFrame;
    private boolean exited;
    private int exitCode;
    private String stopReason = "cycle budget exhausted";
    private int guestPageFaults;
    private long lastFaultGpa;
    private int lastFaultCause;
    private long endCycles = -1;

    private BareMonitor(Machine machine, int ramBytes) {
        this.machine = machine;
        this.ramBytes = ramBytes;
        this.leafTables = (ramBytes + (4L << 20) - 1) / (4L << 20);
        this.firstRamFrame = 1 + leafTables;
    }

    /** Runs {@code image} to exit, to a stop, or until the cycle budget is spent. */
    public static BareRun run(GuestImage image, BareConfig config) {
        long tableFrames = 1 + (config.ramBytes() + (4L << 20) - 1) / (4L << 20);
        long machineBytes = tableFrames * PhysicalMemory.FRAME_SIZE + config.ramBytes();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(machineBytes, PhysicalMemory.FRAME_SIZE);
            Machine machine = new Machine(MachineConfig.defaults(1, config.seed()), ram);
            BareMonitor monitor = new BareMonitor(machine, config.ramBytes());
            monitor.buildSecondStage();
            monitor.load(image);
            machine.setHypervisor(monitor);
            Hart hart = machine.hart(0);
            hart.setDelegation(DELEGATED);
            hart.setSecondStageRoot(0);
            hart.setMode(Hart.MODE_S);
            hart.setPc(image.entry());
            long startNanos = System.nanoTime();
            machine.run(config.maxCycles());
            long wallNanos = System.nanoTime() - startNanos;
            return new BareRun(monitor.exited, monitor.exitCode, machine.console().text(), hart.instret(),
                    monitor.endCycles >= 0 ? monitor.endCycles : machine.nowCycles(), wallNanos, monitor.stopReason, machine.stateHash());
        }
    }

    private void buildSecondStage() {
        PhysicalMemory mem = machine.memory();
        int rootIndex = GUEST_RAM_BASE >>> 22;
        for (long t = 0; t < leafTables; t++) {
            mem.write32((rootIndex + t) * Sv32.PTE_BYTES, Sv32.pte(1 + t, Sv32.V));
        }
        for (long page = 0; page < ramBytes / PhysicalMemory.FRAME_SIZE; page++) {
            mem.write32(leafEntry(page), Sv32.pte(firstRamFrame + page, Sv32.V | Sv32.R | Sv32.W | Sv32.X
                    | Sv32.U | Sv32.A | Sv32.D));
        }
    }

    /** Machine address of the second-stage leaf entry for guest RAM page {@code page}. */
    private long leafEntry(long page) {
        return (1 + page / Sv32.ENTRIES) * PhysicalMemory.FRAME_SIZE + (page % Sv32.ENTRIES) * Sv32.PTE_BYTES;
    }

    private void load(GuestImage image) {
        long ramEnd = (GUEST_RAM_BASE & 0xffffffffL) + ramBytes;
        for (GuestImage.Segment s : image.segments()) {
            long start = s.vaddr() & 0xffffffffL;
            if (start < (GUEST_RAM_BASE & 0xffffffffL) || start + s.memSizeBytes() > ramEnd) {
                throw new IllegalArgumentException("guest image " + image.name() + ": segment at 0x"
                        + Long.toHexString(start) + " (" + s.memSizeBytes() + " bytes) lies outside guest RAM [0x"
                        + Integer.toHexString(GUEST_RAM_BASE) + ", 0x" + Long.toHexString(ramEnd) + ")");
            }
            byte[] data = s.data();
            machine.memory().writeBytes(toMachine(start), data, 0, data.length);
        }
    }

    private long toMachine(long gpa) {
        return (firstRamFrame << PhysicalMemory.FRAME_SHIFT) + (gpa - (GUEST_RAM_BASE & 0xffffffffL));
    }

    @Override
    public long onTrap(Hart hart) {
        int cause = hart.trapCause();
        switch (cause) {
            case TrapCause.ECALL_FROM_S -> call(hart);
            case TrapCause.HOST_TIMER -> {
                machine.timer(hart.id()).cancel();
                hart.assertVirtualInterrupts(Csr.STIP);
                hart.resume();
            }
            case TrapCause.HOST_EXTERNAL -> {
                int source = machine.interrupts().claim(hart.id());
                machine.interrupts().complete(hart.id(), source);
            }
            case TrapCause.LOAD_GUEST_PAGE_FAULT, TrapCause.STORE_GUEST_PAGE_FAULT,
                 TrapCause.FETCH_GUEST_PAGE_FAULT -> guestPageFault(hart, cause);
            case TrapCause.VIRTUAL_INSTRUCTION -> {
                if (hart.trapValue() == WFI) {
                    waitForInterrupt(hart);
                } else {
                    fail(hart, "unhandled virtual instruction 0x" + Integer.toHexString(hart.trapValue()));
                }
            }
            default -> fail(hart, "unhandled trap: " + TrapCause.name(cause) + " (tval 0x"
                    + Integer.toHexString(hart.trapValue()) + ")");
        }
        return TRAP_COST_CYCLES;
    }

    private void call(Hart hart) {
        int number = hart.reg(17);
        int a0 = hart.reg(10);
        int result = 0;
        switch (number) {
            case MonitorCall.WRITE -> result = write(hart, hart.reg(11), hart.reg(12));
            case MonitorCall.EXIT -> {
                exited = true;
                exitCode = a0;
                stopReason = "exit(" + a0 + ")";
                endCycles = hart.timeCycles();
                hart.halt();
                machine.stop();
                return;
            }
            case MonitorCall.SET_VIRQ -> hart.assertVirtualInterrupts(a0);
            case MonitorCall.CLEAR_VIRQ -> hart.clearVirtualInterrupts(a0);
            case MonitorCall.SET_TIMER -> machine.timer(hart.id()).program(hart.timeCycles() + (a0 & 0xffffffffL));
            case MonitorCall.PROTECT -> result = protect(a0 & 0xffffffffL, hart.reg(11));
            case MonitorCall.FAULTS -> {
                result = guestPageFaults;
                hart.setReg(11, (int) lastFaultGpa);
                hart.setReg(12, lastFaultCause);
            }
            default -> result = -38; // ENOSYS, as Linux answers an unknown call
        }
        hart.setReg(10, result);
        hart.setPc(hart.pc() + 4);
    }

    private int write(Hart hart, int buf, int len) {
        if (len < 0 || len > MAX_WRITE_BYTES) {
            return -22; // EINVAL
        }
        for (int i = 0; i < len; i++) {
            long ma = hart.translateForHypervisor(buf + i, Hart.ACCESS_LOAD);
            if (ma < 0 || ma >= machine.memory().sizeBytes()) {
                return -14; // EFAULT
            }
            machine.console().write(machine.memory().read8(ma));
        }
        return len;
    }

    private int protect(long gpa, int perms) {
        long offset = gpa - (GUEST_RAM_BASE & 0xffffffffL);
        if (offset < 0 || offset >= ramBytes) {
            return -1;
        }
        setPagePermissions(offset / PhysicalMemory.FRAME_SIZE,
                (perms & 1) != 0, (perms & 2) != 0, (perms & 4) != 0);
        return 0;
    }

    private void setPagePermissions(long page, boolean r, boolean w, boolean x) {
        int flags = (r ? Sv32.R : 0) | (w ? Sv32.W : 0) | (x ? Sv32.X : 0);
        int pte = flags == 0 ? 0 : Sv32.pte(firstRamFrame + page, Sv32.V | flags | Sv32.U | Sv32.A | Sv32.D);
        machine.memory().write32(leafEntry(page), pte);
        machine.flushAllTlbs();
    }

    private void guestPageFault(Hart hart, int cause) {
        long gpa = hart.trapGuestPhysical();
        long offset = gpa - (GUEST_RAM_BASE & 0xffffffffL);
        if (offset < 0 || offset >= ramBytes) {
            fail(hart, TrapCause.name(cause) + " at guest-physical 0x" + Long.toHexString(gpa)
                    + " outside guest RAM (tval 0x" + Integer.toHexString(hart.trapValue()) + ")");
            return;
        }
        guestPageFaults++;
        lastFaultGpa = gpa;
        lastFaultCause = cause;
        setPagePermissions(offset / PhysicalMemory.FRAME_SIZE, true, true, true);
    }

    private void waitForInterrupt(Hart hart) {
        hart.setPc(hart.pc() + 4);
        if ((hart.sip() & hart.sie()) != 0) {
            return;
        }
        if (machine.timer(hart.id()).deadlineCycles() == dev.rehype.machine.Timer.NONE) {
            fail(hart, "wfi with no interrupt pending and no timer set: idle forever");
            return;
        }
        hart.halt();
    }

    private void fail(Hart hart, String reason) {
        stopReason = reason + " at pc 0x" + Integer.toHexString(hart.pc());
        endCycles = hart.timeCycles();
        hart.halt();
        machine.stop();
    }
}
