package dev.rehype.machine.port;

/**
 * What the hypervisor uses of one physical CPU (hart) while it handles a trap: the trap's cause
 * and values, the guest's registers and supervisor CSRs, the hart's clock, halt and resume, and
 * guest address translation. {@link dev.rehype.machine.Hart} implements it directly (the normal,
 * in-process mode); a hypervisor in another process sees a hart through a port that forwards to
 * the process that owns the machine. Getters and setters have the meaning of the same-named
 * methods of {@link dev.rehype.machine.Hart}.
 */
public interface HartPort {
    int id();

    /** The hart's clock in virtual cycles. */
    long timeCycles();

    int trapCause();

    int trapValue();

    long trapGuestPhysical();

    int pc();

    void setPc(int pc);

    /** Register x{@code i}; x0 reads 0. */
    int reg(int i);

    /** Sets x{@code i}; writes to x0 are ignored. */
    void setReg(int i, int value);

    int mode();

    void setMode(int mode);

    int sstatus();

    void setSstatus(int value);

    int sie();

    void setSie(int value);

    /** sip as the guest reads it. */
    int sip();

    /** Sets the guest-writable part of sip (SSIP). */
    void setGuestSip(int value);

    int stvec();

    void setStvec(int value);

    int sepc();

    void setSepc(int value);

    int scause();

    void setScause(int value);

    int stval();

    void setStval(int value);

    int satp();

    void setSatp(int value);

    int sscratch();

    void setSscratch(int value);

    int scounteren();

    void setScounteren(int value);

    long instret();

    void setInstret(long value);

    /** The virtual interrupts asserted for the guest. */
    int virtualInterrupts();

    void assertVirtualInterrupts(int mask);

    void clearVirtualInterrupts(int mask);

    int delegation();

    void setDelegation(int mask);

    long secondStageRoot();

    void setSecondStageRoot(long mfn);

    /** Stops fetching guest instructions until {@link #resume()}. */
    void halt();

    void resume();

    /** Machine address of guest virtual {@code va} for {@code access}, or -1 where the guest would fault. */
    long translateForHypervisor(int va, int access);

    /**
     * The hypervisor has saved the trapping vCPU's whole context (or found none to save): from now
     * on the preserved context, not the hart, is the authority. A port that can lose its
     * hypervisor mid-trap records this to know which of the two to trust; the hart itself has
     * nothing to do.
     */
    default void contextSaved() {
    }
}
