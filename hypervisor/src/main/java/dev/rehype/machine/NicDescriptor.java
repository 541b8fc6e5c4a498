package dev.rehype.machine;

/**
 * The layout of one {@link Nic} DMA descriptor in machine memory, little endian. TX and RX rings
 * are arrays of these at the ring base address.
 *
 * <pre>
 *   0               4       6       8               12              16
 *   +---------------+-------+-------+---------------+---------------+
 *   |   BUF_ADDR    |LENGTH | FLAGS |   reserved    |   reserved    |
 *   |   u32         |  u16  |  u16  |   u32         |   u32         |
 *   +---------------+-------+-------+---------------+---------------+
 * </pre>
 *
 * <ul>
 *   <li>BUF_ADDR: machine-physical address of the frame buffer (no IOMMU: the device trusts it).
 *   <li>LENGTH: TX: frame length set by the driver (1..{@value #MAX_FRAME_BYTES}). RX: buffer
 *       capacity set by the driver when posting; the device overwrites it with the frame length.
 *   <li>FLAGS: {@link #DONE} set by the device when it has finished with the descriptor (the driver
 *       clears it when handing the descriptor over); {@link #EOP} end of packet, required on TX
 *       (one frame per descriptor) and set by the device on RX; {@link #ERR} set by the device when
 *       the descriptor was rejected (TX) or the frame did not fit the buffer (RX).
 * </ul>
 * Ownership is given by the ring's head and tail registers, not by a flag (as in the e1000).
 */
public final class NicDescriptor {
    private NicDescriptor() {
    }

    public static final int BUF_ADDR = 0;
    public static final int LENGTH = 4;
    public static final int FLAGS = 6;
    public static final int RESERVED0 = 8;
    public static final int RESERVED1 = 12;
    public static final int SIZE_BYTES = 16;

    /** FLAGS: the device has finished with this descriptor. */
    public static final int DONE = 1;
    /** FLAGS: end of packet (the frame ends in this descriptor's buffer). */
    public static final int EOP = 1 << 1;
    /** FLAGS: the device rejected the descriptor or dropped its frame. */
    public static final int ERR = 1 << 2;

    /** Largest frame a descriptor can carry. */
    public static final int MAX_FRAME_BYTES = 2048;

    static {
        if (RESERVED1 + Integer.BYTES != SIZE_BYTES || Integer.bitCount(SIZE_BYTES) != 1) {
            throw new AssertionError("NicDescriptor fields do not add up to a power-of-two size");
        }
        if (MAX_FRAME_BYTES > 0xFFFF) {
            throw new AssertionError("MAX_FRAME_BYTES does not fit the u16 LENGTH field");
        }
    }

    /** Machine address of descriptor {@code index} of the ring at {@code ringBase}. */
    public static long address(long ringBase, int index) {
        return ringBase + (long) index * SIZE_BYTES;
    }
}
