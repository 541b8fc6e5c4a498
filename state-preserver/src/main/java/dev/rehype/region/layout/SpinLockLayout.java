package dev.rehype.region.layout;

/**
 * One hypervisor spinlock word, kept in the preserved region so that a recovering hypervisor can
 * see which locks the failed one held.
 *
 * <pre>
 *  0x00  u32 owner (pCPU + 1; 0 = free)
 *  0x04  u32 depth (recursive acquisitions)
 *  0x08  (end: 8 bytes)
 * </pre>
 */
public final class SpinLockLayout {
    private SpinLockLayout() {
    }

    public static final long OWNER = 0x00;
    public static final long DEPTH = 0x04;
    public static final long SIZE_BYTES = 0x08;
}
