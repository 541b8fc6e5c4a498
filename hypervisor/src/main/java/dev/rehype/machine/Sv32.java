package dev.rehype.machine;

/**
 * The Sv32 page-table entry, used by both translation stages: the guest's own tables (entries
 * name guest-physical frames) and the hypervisor's second stage, the P2M (entries name machine
 * frames). Two levels of 1024 four-byte entries; a leaf at level 1 maps a 4 MiB superpage.
 *
 * <pre>
 *  31                     20 19           10 9   8 7 6 5 4 3 2 1 0
 * +-------------------------+---------------+-----+-+-+-+-+-+-+-+-+
 * |         PPN[1] (12)     |  PPN[0] (10)  | RSW |D|A|G|U|X|W|R|V|
 * +-------------------------+---------------+-----+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Sv32 {
    private Sv32() {
    }

    public static final int V = 1;
    public static final int R = 1 << 1;
    public static final int W = 1 << 2;
    public static final int X = 1 << 3;
    public static final int U = 1 << 4;
    public static final int G = 1 << 5;
    public static final int A = 1 << 6;
    public static final int D = 1 << 7;
    public static final int PPN_SHIFT = 10;
    public static final int ENTRIES = 1024;
    public static final int PTE_BYTES = 4;

    /** The frame number a PTE names (22 bits). */
    public static long ppn(int pte) {
        return (pte >>> PPN_SHIFT) & 0x3f_ffffL;
    }

    /** A PTE naming {@code frame} with {@code flags}. */
    public static int pte(long frame, int flags) {
        return (int) (frame << PPN_SHIFT) | flags;
    }

    public static boolean isLeaf(int pte) {
        return (pte & (R | X)) != 0;
    }
}
