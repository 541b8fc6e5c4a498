package dev.rehype.machine.snapshot;

/**
 * Everything a {@link dev.rehype.machine.Hart} holds that affects what it does next: the guest's
 * registers and supervisor CSRs, what the hypervisor controls (virtual interrupts, delegation, the
 * second-stage root, halted), the last trap reported to the hypervisor, the LR reservation and the
 * hart's clock. Its TLBs and the decoded-instruction cache are caches, not state, and are absent.
 *
 * @param id                     the hart's number (an import checks it)
 * @param x                      registers x0..x31 (32 entries; x0 is 0)
 * @param pc                     program counter
 * @param mode                   {@code Hart.MODE_S} or {@code Hart.MODE_U}
 * @param sstatus                sstatus as stored
 * @param sie                    sie as stored
 * @param ssip                   the guest-writable part of sip (SSIP)
 * @param stvec                  stvec as stored
 * @param sepc                   sepc as stored
 * @param scause                 scause
 * @param stval                  stval
 * @param satp                   satp as stored
 * @param sscratch               sscratch
 * @param scounteren             scounteren as stored
 * @param instret                instructions retired
 * @param virtualInterrupts      the sip bits the hypervisor asserts
 * @param delegation             exceptions delegated to the guest kernel (bit n = cause n)
 * @param secondStageRoot        machine frame of the P2M root, or -1
 * @param halted                 the hart waits for a host interrupt
 * @param trapCause              cause of the last trap reported to the hypervisor
 * @param trapValue              tval of that trap
 * @param trapGuestPhysical      faulting guest-physical address of that trap
 * @param reservation            machine address of the LR reservation, or -1
 * @param timeCycles             the hart's clock as last set (virtual cycles)
 */
public record HartState(int id, int[] x, int pc, int mode, int sstatus, int sie, int ssip, int stvec, int sepc,
                        int scause, int stval, int satp, int sscratch, int scounteren, long instret,
                        int virtualInterrupts, int delegation, long secondStageRoot, boolean halted, int trapCause,
                        int trapValue, long trapGuestPhysical, long reservation, long timeCycles) {
    /** Number of entries of {@link #x()}. */
    public static final int REGISTERS = 32;

    public HartState {
        if (x == null || x.length != REGISTERS) {
            throw new IllegalArgumentException("hart " + id + ": x must hold " + REGISTERS + " registers, got "
                    + (x == null ? "none" : x.length));
        }
    }
}
