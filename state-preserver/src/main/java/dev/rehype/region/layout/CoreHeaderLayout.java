package dev.rehype.region.layout;

/**
 * The hypervisor core's own header at the start of its preserved state: the sizes the tables
 * below it were laid out for, and the page allocator's free list. A recovering image reads it to
 * find everything else.
 *
 * <pre>
 *  0x00  u32 magic = 0x45524F43 ("CORE")     0x04  u32 layout version
 *  0x08  u32 max domains                      0x0C  u32 max vCPUs per domain
 *  0x10  u32 machine frames                   0x14  u32 physical CPUs
 *  0x18  u32 free-list head (mfn, -1 = none)  0x1C  u32 free frames
 *  0x20  u32 next domid to hand out           0x24  u32 boot done (1 once every domain is built)
 *  0x28  u64 hypervisor traps handled         0x30  u32 NIC 0 owner (domid + 1; 0 = none)
 *  0x34  u32 zeroed mark: frames from mfn (mark - 1) up never handed out since boot (0 = none known)
 *  0x38  u32 scan pending (1 while a recovery that must scan every mapping has not finished)
 *  0x3C  u32 reserved
 *  0x40  (end: 64 bytes)
 * </pre>
 */
public final class CoreHeaderLayout {
    private CoreHeaderLayout() {
    }

    public static final int MAGIC_VALUE = 0x45524F43;
    /** 2: per-CPU records carry an operation intent ({@link PerCpuLayout#INTENT_OP}). */
    public static final int VERSION_VALUE = 2;

    public static final long MAGIC = 0x00;
    public static final long VERSION = 0x04;
    public static final long MAX_DOMAINS = 0x08;
    public static final long MAX_VCPUS = 0x0C;
    public static final long FRAMES = 0x10;
    public static final long CPUS = 0x14;
    public static final long FREE_HEAD = 0x18;
    public static final long FREE_COUNT = 0x1C;
    public static final long NEXT_DOMID = 0x20;
    public static final long BOOT_DONE = 0x24;
    public static final long TRAPS = 0x28;
    public static final long NIC_OWNER = 0x30;
    public static final long ZEROED_FROM = 0x34;
    public static final long SCAN_PENDING = 0x38;
    public static final long SIZE_BYTES = 0x40;
}
