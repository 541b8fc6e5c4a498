package dev.rehype.machine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Machine memory: the RAM of the machine, one {@link MemorySegment} handed in from outside
 * (anonymous, or mapped from a file so that it outlives a process). The machine keeps no copy.
 * Addresses are machine-physical byte addresses; RAM starts at 0 and is cut in 4 KiB frames
 * (mfn = address >> 12).
 *
 * <p>Every write made through this class drops the decoded instructions cached for the frames it
 * touches, so that code written by anyone (a hart, the hypervisor, a DMA engine) is seen. Code
 * that writes the segment directly must call {@link #invalidateCode(long)} afterwards.
 */
public final class PhysicalMemory implements StateHashable {
    public static final int FRAME_SHIFT = 12;
    public static final int FRAME_SIZE = 1 << FRAME_SHIFT;

    static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final MemorySegment segment;
    private final long sizeBytes;
    /** Decoded instructions per frame, or null; owned by the harts' fetch path. */
    final DecodedPage[] decoded;
    /** Told every frame written through this object, or null (process mode reports them to the machine's owner). */
    private java.util.function.LongConsumer writeListener;

    public PhysicalMemory(MemorySegment segment) {
        if (segment.byteSize() % FRAME_SIZE != 0 || segment.byteSize() == 0) {
            throw new IllegalArgumentException("machine memory must be a positive multiple of "
                    + FRAME_SIZE + " bytes, got " + segment.byteSize());
        }
        if (segment.byteSize() > Machine.MMIO_BASE) {
            throw new IllegalArgumentException("machine memory of " + segment.byteSize()
                    + " bytes would overlap the MMIO window at 0x" + Long.toHexString(Machine.MMIO_BASE));
        }
        this.segment = segment;
        this.sizeBytes = segment.byteSize();
        this.decoded = new DecodedPage[(int) (sizeBytes >>> FRAME_SHIFT)];
    }

    /** The backing segment. Writers must call {@link #invalidateCode} for frames they change. */
    public MemorySegment segment() {
        return segment;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    public int frames() {
        return decoded.length;
    }

    /** True when [pa, pa+len) lies inside RAM. */
    public boolean contains(long pa, long len) {
        return pa >= 0 && len >= 0 && pa <= sizeBytes - len;
    }

    public int read8(long pa) {
        return segment.get(BYTE, pa) & 0xff;
    }

    public int read16(long pa) {
        return segment.get(SHORT_LE, pa) & 0xffff;
    }

    public int read32(long pa) {
        return segment.get(INT_LE, pa);
    }

    public void write8(long pa, int value) {
        segment.set(BYTE, pa, (byte) value);
        invalidateCode(pa >>> FRAME_SHIFT);
    }

    public void write16(long pa, int value) {
        segment.set(SHORT_LE, pa, (short) value);
        invalidateRange(pa, 2);
    }

    public void write32(long pa, int value) {
        segment.set(INT_LE, pa, value);
        invalidateRange(pa, 4);
    }

    public void readBytes(long pa, byte[] dst, int offset, int length) {
        MemorySegment.copy(segment, BYTE, pa, dst, offset, length);
    }

    public void writeBytes(long pa, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, segment, BYTE, pa, length);
        invalidateRange(pa, length);
    }

    /** Fills [pa, pa+length) with zeros. */
    public void zero(long pa, long length) {
        segment.asSlice(pa, length).fill((byte) 0);
        invalidateRange(pa, length);
    }

    /** Drops decoded instructions of every frame that [pa, pa+length) touches. */
    public void invalidateRange(long pa, long length) {
        if (length <= 0) {
            return;
        }
        long first = pa >>> FRAME_SHIFT;
        long last = (pa + length - 1) >>> FRAME_SHIFT;
        for (long mfn = first; mfn <= last; mfn++) {
            invalidateCode(mfn);
        }
    }

    /**
     * Sets who is told the frame number of every write made through this object (null: nobody).
     * A hypervisor in another process than the harts uses it to have their decoded code dropped.
     */
    public void setWriteListener(java.util.function.LongConsumer listener) {
        this.writeListener = listener;
    }

    /** Drops the decoded instructions of frame {@code mfn}, if any. */
    public void invalidateCode(long mfn) {
        if (writeListener != null) {
            writeListener.accept(mfn);
        }
        DecodedPage page = decoded[(int) mfn];
        if (page != null) {
            page.invalidate();
            decoded[(int) mfn] = null;
        }
    }

    /** Drops every decoded instruction (after a bulk change such as a snapshot restore). */
    public void invalidateAllCode() {
        for (int i = 0; i < decoded.length; i++) {
            invalidateCode(i);
        }
    }

    @Override
    public void hashInto(StateHasher hasher) {
        hasher.putTag("memory").putSegment(segment);
    }
}
