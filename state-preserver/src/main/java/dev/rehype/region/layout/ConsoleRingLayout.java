package dev.rehype.region.layout;

/**
 * A domain's console ring: what the domain wrote with console_io, kept in the region so that the
 * host can read it whatever happened to the hypervisor.
 *
 * <pre>
 *  0x000  u64 bytes written in all (the ring keeps the last RING_BYTES)
 *  0x008  u8  ring[RING_BYTES]
 *  0x1000 (end: 4 KiB)
 * </pre>
 */
public final class ConsoleRingLayout {
    private ConsoleRingLayout() {
    }

    public static final long WRITTEN = 0x000;
    public static final long RING = 0x008;
    public static final int RING_BYTES = 4096 - 8;
    public static final long SIZE_BYTES = 4096;
}
