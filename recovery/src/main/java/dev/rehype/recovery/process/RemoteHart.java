package dev.rehype.recovery.process;

import dev.rehype.machine.Csr;
import dev.rehype.machine.Hart;
import dev.rehype.machine.TrapCause;
import dev.rehype.machine.port.HartPort;

/**
 * A hart of the machine in the supervisor's process, as the hypervisor process sees it: its state
 * is fetched once per request (the trapping hart's comes with the trap) and cached; the
 * hypervisor's writes go to the cache and reach the real hart only when the request is answered
 * ({@link RemoteMachine#encodeDone}). Masks and checks mirror {@link Hart}'s setters so that a
 * read after a write sees what the hart would hold.
 */
final class RemoteHart implements HartPort {
    private final RemoteMachine machine;
    private final int id;
    final HartFrame frame = new HartFrame();
    boolean loaded;

    RemoteHart(RemoteMachine machine, int id) {
        this.machine = machine;
        this.id = id;
    }

    private HartFrame f() {
        if (!loaded) {
            machine.readHart(id, frame);
            loaded = true;
        }
        return frame;
    }

    private int get(int field) {
        return (int) f().v[field];
    }

    private void put(int field, long value) {
        f().set(field, value);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long timeCycles() {
        return f().v[HartFrame.TIME];
    }

    @Override
    public int trapCause() {
        return get(HartFrame.TRAP_CAUSE);
    }

    @Override
    public int trapValue() {
        return get(HartFrame.TRAP_VALUE);
    }

    @Override
    public long trapGuestPhysical() {
        return f().v[HartFrame.TRAP_GPA];
    }

    @Override
    public int pc() {
        return get(HartFrame.PC);
    }

    @Override
    public void setPc(int pc) {
        put(HartFrame.PC, pc);
    }

    @Override
    public int reg(int i) {
        return i == 0 ? 0 : get(i);
    }

    @Override
    public void setReg(int i, int value) {
        if (i != 0) {
            put(i, value);
        }
    }

    @Override
    public int mode() {
        return get(HartFrame.MODE);
    }

    @Override
    public void setMode(int mode) {
        if (mode != Hart.MODE_U && mode != Hart.MODE_S) {
            throw new IllegalArgumentException("mode must be MODE_U or MODE_S, got " + mode);
        }
        put(HartFrame.MODE, mode);
    }

    @Override
    public int sstatus() {
        return get(HartFrame.SSTATUS);
    }

    @Override
    public void setSstatus(int value) {
        put(HartFrame.SSTATUS, value & Csr.SSTATUS_WRITABLE);
    }

    @Override
    public int sie() {
        return get(HartFrame.SIE);
    }

    @Override
    public void setSie(int value) {
        put(HartFrame.SIE, value & Csr.INTERRUPT_BITS);
    }

    @Override
    public int sip() {
        return get(HartFrame.VIRQ) | get(HartFrame.SSIP);
    }

    @Override
    public void setGuestSip(int value) {
        put(HartFrame.SSIP, value & Csr.SSIP);
    }

    @Override
    public int stvec() {
        return get(HartFrame.STVEC);
    }

    @Override
    public void setStvec(int value) {
        put(HartFrame.STVEC, value & ~2);
    }

    @Override
    public int sepc() {
        return get(HartFrame.SEPC);
    }

    @Override
    public void setSepc(int value) {
        put(HartFrame.SEPC, value & ~3);
    }

    @Override
    public int scause() {
        return get(HartFrame.SCAUSE);
    }

    @Override
    public void setScause(int value) {
        put(HartFrame.SCAUSE, value);
    }

    @Override
    public int stval() {
        return get(HartFrame.STVAL);
    }

    @Override
    public void setStval(int value) {
        put(HartFrame.STVAL, value);
    }

    @Override
    public int satp() {
        return get(HartFrame.SATP);
    }

    @Override
    public void setSatp(int value) {
        put(HartFrame.SATP, value & Csr.SATP_WRITABLE);
    }

    @Override
    public int sscratch() {
        return get(HartFrame.SSCRATCH);
    }

    @Override
    public void setSscratch(int value) {
        put(HartFrame.SSCRATCH, value);
    }

    @Override
    public int scounteren() {
        return get(HartFrame.SCOUNTEREN);
    }

    /** Stored as written; the hart masks it when the write is applied (nothing reads it back within a trap). */
    @Override
    public void setScounteren(int value) {
        put(HartFrame.SCOUNTEREN, value);
    }

    @Override
    public long instret() {
        return f().v[HartFrame.INSTRET];
    }

    @Override
    public void setInstret(long value) {
        put(HartFrame.INSTRET, value);
    }

    @Override
    public int virtualInterrupts() {
        return get(HartFrame.VIRQ);
    }

    @Override
    public void assertVirtualInterrupts(int mask) {
        put(HartFrame.VIRQ, get(HartFrame.VIRQ) | (mask & Csr.INTERRUPT_BITS));
    }

    @Override
    public void clearVirtualInterrupts(int mask) {
        put(HartFrame.VIRQ, get(HartFrame.VIRQ) & ~mask);
    }

    @Override
    public int delegation() {
        return get(HartFrame.DELEGATION);
    }

    @Override
    public void setDelegation(int mask) {
        put(HartFrame.DELEGATION, mask & TrapCause.DELEGABLE_MASK);
    }

    @Override
    public long secondStageRoot() {
        return f().v[HartFrame.SECOND_STAGE_ROOT];
    }

    @Override
    public void setSecondStageRoot(long mfn) {
        put(HartFrame.SECOND_STAGE_ROOT, mfn < 0 ? -1 : mfn);
    }

    @Override
    public void halt() {
        put(HartFrame.HALTED, 1);
    }

    @Override
    public void resume() {
        put(HartFrame.HALTED, 0);
    }

    /**
     * Translation runs on the real hart, so it must not follow a write that has not reached it:
     * the core translates only while serving a hypercall, before it reloads any context.
     */
    @Override
    public long translateForHypervisor(int va, int access) {
        if (f().written != 0) {
            throw new IllegalStateException("cpu " + id + ": guest translation after a register write in the same "
                    + "trap; in process mode the write reaches the hart only when the trap is answered");
        }
        return machine.call(Ops.TRANSLATE, id, va, access);
    }

    @Override
    public void contextSaved() {
        machine.contextSaved(id);
    }
}
