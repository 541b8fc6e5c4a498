package dev.rehype.region.layout;

/**
 * One domain record (a slot of the domain table, indexed by domid): its lifecycle state, what it
 * owns (pages, P2M root, special pages) and why it stopped.
 *
 * <pre>
 *  0x00  u32 state (FREE, ACTIVE, SHUTDOWN, DYING)   0x04  u32 domid
 *  0x08  u32 flags (PRIVILEGED, CONSOLE_RELAYED)     0x0C  u32 pause count (domctl pauses)
 *  0x10  u32 shutdown reason                         0x14  u32 shutdown code (exit status)
 *  0x18  u32 nr vCPUs                                0x1C  u32 tot pages (RAM frames mapped)
 *  0x20  u32 max pages                               0x24  u32 P2M root mfn
 *  0x28  u32 start_info gfn                          0x2C  u32 shared_info gfn
 *  0x30  u64 cpu time (cycles run by its vCPUs)      0x38  u32 peer domid   0x3C u32 role
 *  0x40  char name[32] (NUL-padded)
 *  0x60  u32 grant-table frames (0..4)               0x64  u32 grant-table gfns[4]
 *  0x74  u32 pirq port (NIC interrupt → this event port, 0 = none)
 *  0x78  u32 store gfn   0x7C u32 pad
 *  0x80  (end: 128 bytes)
 * </pre>
 */
public final class DomainLayout {
    private DomainLayout() {
    }

    public static final int STATE_FREE = 0;
    public static final int STATE_ACTIVE = 1;
    public static final int STATE_SHUTDOWN = 2;
    public static final int STATE_DYING = 3;

    public static final int FLAG_PRIVILEGED = 1;
    /** Its console output goes to its ring only, for the toolstack to relay (domains built by createdomain). */
    public static final int FLAG_CONSOLE_RELAYED = 2;

    public static final long STATE = 0x00;
    public static final long DOMID = 0x04;
    public static final long FLAGS = 0x08;
    public static final long PAUSE_COUNT = 0x0C;
    public static final long SHUTDOWN_REASON = 0x10;
    public static final long SHUTDOWN_CODE = 0x14;
    public static final long NR_VCPUS = 0x18;
    public static final long TOT_PAGES = 0x1C;
    public static final long MAX_PAGES = 0x20;
    public static final long P2M_ROOT = 0x24;
    public static final long START_INFO_GFN = 0x28;
    public static final long SHARED_INFO_GFN = 0x2C;
    public static final long CPU_TIME = 0x30;
    public static final long PEER_DOMID = 0x38;
    public static final long ROLE = 0x3C;
    public static final long NAME = 0x40;
    public static final int NAME_BYTES = 32;
    public static final long GNTTAB_NR_FRAMES = 0x60;
    public static final long GNTTAB_GFNS = 0x64;
    public static final int GNTTAB_MAX_FRAMES = 4;
    public static final long PIRQ_PORT = 0x74;
    public static final long STORE_GFN = 0x78;
    public static final long SIZE_BYTES = 0x80;
}
