package dev.rehype.machine;

/**
 * The register window of the {@link Nic}: byte offsets and bit masks, in the manner of a simple
 * real NIC (an e1000 without the hundred registers). All registers are 32 bits wide and accessed
 * with aligned 32-bit loads and stores; offsets not listed read 0 and ignore writes.
 *
 * <pre>
 *  offset  register        access  contents
 *  ------  --------------  ------  ---------------------------------------------------------------
 *  0x000   CTRL            RW      bit 0 TX_ENABLE, bit 1 RX_ENABLE, bit 31 RESET (self-clearing)
 *  0x004   STATUS          RO      bit 0 LINK_UP, bit 1 DMA_ERROR, bit 2 CONFIG_ERROR,
 *                                  bit 3 TX_HALTED, bit 4 RX_HALTED       (errors cleared by RESET)
 *  0x008   IRQ_CAUSE       RW1C    bit 0 TX_DONE, bit 1 RX_DONE, bit 2 RX_OVERRUN, bit 3 ERROR
 *  0x00C   IRQ_MASK        RW      same bits as IRQ_CAUSE; 1 = the cause interrupts (unmasked)
 *  0x010   TX_RING_BASE    RW      machine address of TX descriptor 0 (bits 3:0 read 0)
 *  0x014   TX_RING_SIZE    RW      TX descriptors: power of two 2..256, or 0 = no ring
 *  0x018   TX_HEAD         RO      next TX descriptor the device will process
 *  0x01C   TX_TAIL         RW      one past the last TX descriptor handed to the device
 *  0x020   RX_RING_BASE    RW      machine address of RX descriptor 0 (bits 3:0 read 0)
 *  0x024   RX_RING_SIZE    RW      RX descriptors: power of two 2..256, or 0 = no ring
 *  0x028   RX_HEAD         RO      next RX descriptor the device will fill
 *  0x02C   RX_TAIL         RW      one past the last RX descriptor posted by the driver
 *  0x030   MAC_LOW         RO      MAC address bytes 0..3 (byte 0 in bits 7:0)
 *  0x034   MAC_HIGH        RO      MAC address bytes 4..5 in bits 15:0
 *  0x040   TX_PACKETS      RO      frames sent                    (counters: low 32 bits, reset 0)
 *  0x044   RX_PACKETS      RO      frames received into RX buffers
 *  0x048   RX_DROPPED      RO      frames lost: no RX descriptor, buffer too small, RX off or halted
 *  0x04C   TX_ERRORS       RO      TX descriptors rejected (length 0 or too long, EOP missing)
 *  0x050   (reserved up to 0xFFF)
 * </pre>
 *
 * <p>Rings follow the head/tail protocol: the device owns descriptors {@code [head, tail)} (modulo
 * the size), the driver the rest, so a ring of N entries holds at most N-1 outstanding
 * descriptors. Writing a ring's base or size empties it (head = tail = 0). An invalid size, or a
 * tail at or beyond the size, is ignored and sets STATUS.CONFIG_ERROR and IRQ_CAUSE.ERROR.
 */
public final class NicRegisters {
    private NicRegisters() {
    }

    /** Size of the register window: one 4 KiB frame. */
    public static final int WINDOW_BYTES = 4096;

    public static final int CTRL = 0x000;
    public static final int STATUS = 0x004;
    public static final int IRQ_CAUSE = 0x008;
    public static final int IRQ_MASK = 0x00C;
    public static final int TX_RING_BASE = 0x010;
    public static final int TX_RING_SIZE = 0x014;
    public static final int TX_HEAD = 0x018;
    public static final int TX_TAIL = 0x01C;
    public static final int RX_RING_BASE = 0x020;
    public static final int RX_RING_SIZE = 0x024;
    public static final int RX_HEAD = 0x028;
    public static final int RX_TAIL = 0x02C;
    public static final int MAC_LOW = 0x030;
    public static final int MAC_HIGH = 0x034;
    public static final int TX_PACKETS = 0x040;
    public static final int RX_PACKETS = 0x044;
    public static final int RX_DROPPED = 0x048;
    public static final int TX_ERRORS = 0x04C;

    /** CTRL: the TX engine processes descriptors. */
    public static final int CTRL_TX_ENABLE = 1;
    /** CTRL: the RX engine accepts frames. */
    public static final int CTRL_RX_ENABLE = 1 << 1;
    /** CTRL: writing 1 resets the device (registers, rings, counters); reads 0. */
    public static final int CTRL_RESET = 1 << 31;

    /** STATUS: the link is up (always, on this wire). */
    public static final int STATUS_LINK_UP = 1;
    /** STATUS: a descriptor or buffer address fell outside machine RAM. */
    public static final int STATUS_DMA_ERROR = 1 << 1;
    /** STATUS: the driver wrote an invalid ring size or tail. */
    public static final int STATUS_CONFIG_ERROR = 1 << 2;
    /** STATUS: the TX ring stopped after a DMA error; only RESET restarts it. */
    public static final int STATUS_TX_HALTED = 1 << 3;
    /** STATUS: the RX ring stopped after a DMA error; only RESET restarts it. */
    public static final int STATUS_RX_HALTED = 1 << 4;

    /** IRQ_CAUSE / IRQ_MASK: a TX descriptor was completed. */
    public static final int IRQ_TX_DONE = 1;
    /** IRQ_CAUSE / IRQ_MASK: an RX descriptor was filled. */
    public static final int IRQ_RX_DONE = 1 << 1;
    /** IRQ_CAUSE / IRQ_MASK: a frame arrived with no RX descriptor posted and was dropped. */
    public static final int IRQ_RX_OVERRUN = 1 << 2;
    /** IRQ_CAUSE / IRQ_MASK: a DMA, descriptor or configuration error (see STATUS). */
    public static final int IRQ_ERROR = 1 << 3;
    /** Every cause bit. */
    public static final int IRQ_ALL = IRQ_TX_DONE | IRQ_RX_DONE | IRQ_RX_OVERRUN | IRQ_ERROR;

    /** Largest ring, in descriptors. */
    public static final int MAX_RING_ENTRIES = 256;
    /** Ring base addresses are aligned to this many bytes (one descriptor). */
    public static final int RING_ALIGN_BYTES = NicDescriptor.SIZE_BYTES;
}
