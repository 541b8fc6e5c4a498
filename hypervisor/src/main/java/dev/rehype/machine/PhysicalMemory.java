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
 * touches, so that code written by anyone (a hart, the hypervisor, a DMA engine) is seen, and
 * marks those frames dirty. Code that writes the segment directly must call
 * {@link #invalidateCode(long)} afterwards, which does both.
 *
 * <p>Dirty frames: every frame written since {@link #clearDirty()}, a mark per frame plus their
 * numbers in order of first write, so that a reset puts back only what a run changed
 * ({@link #revertDirtyFrames}). Harts keep fast write mappings to frames they have written
 * already; whoever clears dirtiness must also flush their TLBs ({@link Machine#clearDirtyMemory()}
 * does both), or their next stores to those frames would go unseen.
 *
 * <p>State hash: {@link #hashInto} feeds digests of the frames ({@link FrameDigests}), kept from
 * one hash to the next; a hash digests again only the frames stale since the last one. Staleness
 * is a period of its own, apart from dirtiness: every write through this object, every
 * {@link #invalidateCode} report and every frame a reset copies back marks its frame stale, a bulk
 * restore ({@link #invalidateAllCode}) marks them all, and clearing dirtiness makes nothing fresh.
 * Harts' fast-path stores tell nobody, so the machine reports the frames of its harts' write
 * mappings before and after each hash ({@link Machine#hashInto}). A direct write that is not
 * reported is not seen by the hash either; {@link #hashFromScratchInto} digests every byte.
 * Process mode: the owner's memory learns a hypervisor process's writes through the frames it
 * reports after each request ({@link #setWriteListener} on that side), and a rebooting hypervisor
 * invalidates everything.
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
    /** One byte per frame, non-zero when written since the last {@link #clearDirty()}. */
    private final byte[] dirtyMarks;
    /** The dirty frames' numbers, in order of first write; the first {@link #dirtyCount} are valid. */
    private final int[] dirtyFrames;
    private int dirtyCount;
    /** Bumped by every {@link #clearDirty()}: names the current tracking period. */
    private long dirtyEpoch;
    /** Told every frame written through this object, or null (process mode reports them to the machine's owner). */
    private java.util.function.LongConsumer writeListener;
    /** The memory's digest, brought up to date at each hash from the frames written since the last one. */
    private final FrameDigests digests;

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
        this.dirtyMarks = new byte[decoded.length];
        this.dirtyFrames = new int[decoded.length];
        this.digests = new FrameDigests(segment);
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
        written((int) (pa >>> FRAME_SHIFT));
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

    /** Reports a write to every frame that [pa, pa+length) touches: drops their decoded code, marks them dirty. */
    public void invalidateRange(long pa, long length) {
        if (length <= 0) {
            return;
        }
        int first = (int) (pa >>> FRAME_SHIFT);
        int last = (int) ((pa + length - 1) >>> FRAME_SHIFT);
        for (int mfn = first; mfn <= last; mfn++) {
            written(mfn);
        }
    }

    /**
     * Sets who is told the frame number of every write made through this object (null: nobody).
     * A hypervisor in another process than the harts uses it to have their decoded code dropped.
     */
    public void setWriteListener(java.util.function.LongConsumer listener) {
        this.writeListener = listener;
    }

    /** Reports a write to frame {@code mfn}: drops its decoded instructions, if any, marks it dirty, and tells the write listener. */
    public void invalidateCode(long mfn) {
        written((int) mfn);
    }

    /** Reports a bulk change of all memory (a snapshot restore): drops all decoded code, marks every frame dirty. */
    public void invalidateAllCode() {
        for (int i = 0; i < decoded.length; i++) {
            written(i);
        }
        digests.markAllStale();
    }

    private void written(int mfn) {
        if (writeListener != null) {
            writeListener.accept(mfn);
        }
        dropCode(mfn);
        digests.stale(mfn);
        if (dirtyMarks[mfn] == 0) {
            dirtyMarks[mfn] = 1;
            dirtyFrames[dirtyCount++] = mfn;
        }
    }

    private void dropCode(int mfn) {
        DecodedPage page = decoded[mfn];
        if (page != null) {
            page.invalidate();
            decoded[mfn] = null;
        }
    }

    // ---------------------------------------------------------------- dirty frames

    /** The number of frames written since the last {@link #clearDirty()}. */
    public int dirtyFrameCount() {
        return dirtyCount;
    }

    /** The numbers of the frames written since the last {@link #clearDirty()}, in the order first written (a copy). */
    public int[] dirtyFrameNumbers() {
        return java.util.Arrays.copyOf(dirtyFrames, dirtyCount);
    }

    /** True when frame {@code mfn} was written since the last {@link #clearDirty()}. */
    public boolean isDirty(long mfn) {
        return dirtyMarks[(int) mfn] != 0;
    }

    /** The tracking period: changes with every {@link #clearDirty()}. */
    public long dirtyEpoch() {
        return dirtyEpoch;
    }

    /**
     * Starts a new tracking period in which no frame is dirty; returns its {@link #dirtyEpoch()}.
     * Costs in proportion to the frames that were dirty. The harts' TLBs must be flushed too
     * ({@link Machine#clearDirtyMemory()}).
     */
    public long clearDirty() {
        for (int i = 0; i < dirtyCount; i++) {
            dirtyMarks[dirtyFrames[i]] = 0;
        }
        dirtyCount = 0;
        return ++dirtyEpoch;
    }

    /**
     * Puts back every dirty frame from {@code base} (a copy of this memory taken when dirtiness was
     * last cleared, of the same size), drops those frames' decoded instructions, and starts a new
     * tracking period; returns the number of frames put back. Frames that were not written keep
     * their decoded instructions. The harts' TLBs must be flushed too (as
     * {@link Machine#resetState} does).
     */
    public int revertDirtyFrames(MemorySegment base) {
        if (base.byteSize() != sizeBytes) {
            throw new IllegalArgumentException("a base of " + base.byteSize() + " bytes for machine memory of "
                    + sizeBytes);
        }
        int reverted = dirtyCount;
        for (int i = 0; i < reverted; i++) {
            int mfn = dirtyFrames[i];
            long at = (long) mfn << FRAME_SHIFT;
            MemorySegment.copy(base, at, segment, at, FRAME_SIZE);
            dropCode(mfn);
            digests.stale(mfn);
        }
        clearDirty();
        return reverted;
    }

    // ---------------------------------------------------------------- state hash

    /**
     * Feeds the memory's digest ({@link FrameDigests}: chunk digests over per-frame digests) into
     * {@code hasher}, recomputing only the digests of frames written since the last hash. Frames
     * a hart may store to through its write TLB without telling this object must have been
     * reported with {@link #hashStale} first, and again after the hash ({@link Machine#hashInto}
     * does both); on its own this sees only writes made through this object, reverts and
     * {@link #invalidateCode} reports.
     */
    @Override
    public void hashInto(StateHasher hasher) {
        digests.hashInto(hasher);
    }

    /** The same value as {@link #hashInto}, computed from every byte with no cached digest (tests, benches). */
    public void hashFromScratchInto(StateHasher hasher) {
        new FrameDigests(segment).hashInto(hasher);
    }

    /** Frames whose digests the last {@link #hashInto} recomputed (all of them the first time). */
    public int lastRedigestedFrames() {
        return digests.lastRedigestedFrames();
    }

    /** Frame {@code mfn} may have been written behind this object's back: the next hash digests it again. */
    void hashStale(int mfn) {
        digests.stale(mfn);
    }
}
