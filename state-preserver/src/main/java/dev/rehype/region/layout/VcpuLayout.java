package dev.rehype.region.layout;

/**
 * One vCPU record: the guest's whole register context (saved here on every trap entry, loaded
 * from here on every resume), its scheduling state, timer deadline, poll set and the virtual
 * interrupts the hypervisor asserts for it.
 *
 * <pre>
 *  0x000  u32 state (OFFLINE, RUNNABLE, RUNNING, BLOCKED)   0x004  u16 domid, u16 vcpuid
 *  0x008  u32 processor (the pCPU it runs on)               0x00C  u32 flags (POLLING, UPCALL_DUE)
 *  0x010  u32 pc                                            0x014  u32 mode (0 U, 1 S)
 *  0x018  u32 x[32]                                         (x0 is stored as 0)
 *  0x098  u32 sstatus  0x09C u32 sie    0x0A0 u32 sip (guest's own SSIP)  0x0A4 u32 stvec
 *  0x0A8  u32 sepc     0x0AC u32 scause 0x0B0 u32 stval   0x0B4 u32 satp  0x0B8 u32 sscratch
 *  0x0BC  u32 scounteren
 *  0x0C0  u32 virq (STIP/SEIP asserted by the hypervisor)   0x0C4  i32 credit
 *  0x0C8  u64 timer deadline (0 = none)                     0x0D0  u64 poll timeout (0 = none)
 *  0x0D8  u32 poll ports[8]                                 0x0F8  u32 poll count   0x0FC u32 pad
 *  0x100  u64 instret                                       0x108  u64 runstate entry time
 *  0x110  u64 runstate time[4] (running, runnable, blocked, offline)
 *  0x130  (end: 304 bytes)
 * </pre>
 */
public final class VcpuLayout {
    private VcpuLayout() {
    }

    public static final int STATE_OFFLINE = 0;
    public static final int STATE_RUNNABLE = 1;
    public static final int STATE_RUNNING = 2;
    public static final int STATE_BLOCKED = 3;

    public static final int FLAG_POLLING = 1;
    public static final int FLAG_UPCALL_DUE = 1 << 1;

    public static final int MAX_POLL_PORTS = 8;

    public static final long STATE = 0x000;
    public static final long DOMID = 0x004;
    public static final long VCPUID = 0x006;
    public static final long PROCESSOR = 0x008;
    public static final long FLAGS = 0x00C;
    public static final long PC = 0x010;
    public static final long MODE = 0x014;
    public static final long REGS = 0x018;
    public static final long SSTATUS = 0x098;
    public static final long SIE = 0x09C;
    public static final long SIP = 0x0A0;
    public static final long STVEC = 0x0A4;
    public static final long SEPC = 0x0A8;
    public static final long SCAUSE = 0x0AC;
    public static final long STVAL = 0x0B0;
    public static final long SATP = 0x0B4;
    public static final long SSCRATCH = 0x0B8;
    public static final long SCOUNTEREN = 0x0BC;
    public static final long VIRQ = 0x0C0;
    public static final long CREDIT = 0x0C4;
    public static final long TIMER_DEADLINE = 0x0C8;
    public static final long POLL_TIMEOUT = 0x0D0;
    public static final long POLL_PORTS = 0x0D8;
    public static final long POLL_COUNT = 0x0F8;
    public static final long INSTRET = 0x100;
    public static final long RUNSTATE_ENTRY = 0x108;
    public static final long RUNSTATE_TIME = 0x110;
    public static final long SIZE_BYTES = 0x130;

    public static long reg(int i) {
        return REGS + 4L * i;
    }
}
