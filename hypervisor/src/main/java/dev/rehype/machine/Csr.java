package dev.rehype.machine;

/** CSR numbers and status bits the harts implement (S-mode view of a guest kernel). */
public final class Csr {
    private Csr() {
    }

    public static final int SSTATUS = 0x100;
    public static final int SIE = 0x104;
    public static final int STVEC = 0x105;
    public static final int SCOUNTEREN = 0x106;
    public static final int SSCRATCH = 0x140;
    public static final int SEPC = 0x141;
    public static final int SCAUSE = 0x142;
    public static final int STVAL = 0x143;
    public static final int SIP = 0x144;
    public static final int SATP = 0x180;
    public static final int CYCLE = 0xC00;
    public static final int TIME = 0xC01;
    public static final int INSTRET = 0xC02;
    public static final int CYCLEH = 0xC80;
    public static final int TIMEH = 0xC81;
    public static final int INSTRETH = 0xC82;

    // sstatus bits
    public static final int SSTATUS_SIE = 1 << 1;
    public static final int SSTATUS_SPIE = 1 << 5;
    public static final int SSTATUS_SPP = 1 << 8;
    public static final int SSTATUS_SUM = 1 << 18;
    public static final int SSTATUS_MXR = 1 << 19;
    public static final int SSTATUS_WRITABLE = SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP | SSTATUS_SUM | SSTATUS_MXR;

    // sie / sip bits
    public static final int SSIP = 1 << TrapCause.IRQ_SOFTWARE;
    public static final int STIP = 1 << TrapCause.IRQ_TIMER;
    public static final int SEIP = 1 << TrapCause.IRQ_EXTERNAL;
    public static final int INTERRUPT_BITS = SSIP | STIP | SEIP;

    // satp
    public static final int SATP_MODE_SV32 = 1 << 31;
    public static final int SATP_PPN_MASK = 0x003f_ffff;
    public static final int SATP_WRITABLE = SATP_MODE_SV32 | SATP_PPN_MASK;
}
