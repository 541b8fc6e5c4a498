package dev.rehype.region;

import java.lang.foreign.ValueLayout;

/**
 * Byte layout of one slab: a {@code slabSizeBytes} piece of the records area given whole to one
 * record type, holding {@code recordsPerSlab} records of that type after a small header with an
 * allocation bitmap. Offsets are relative to the slab's start.
 *
 * <pre>
 * slab offset             size        field          meaning
 * ----------------------  ----------  -------------  ---------------------------------------------
 * 0x000                   4           typeId         u32; the record type the slab belongs to
 * 0x004                   4           slabIndex      u32; the slab's own index (a self-check)
 * 0x008                   8 x W       allocatedBits  W = ceil(recordsPerSlab / 64) u64 words;
 *                                                    bit i%64 of word i/64 set = record i allocated
 * firstRecordOffsetBytes  size x n    records        n = recordsPerSlab records, 8-byte aligned;
 *                                                    firstRecordOffsetBytes = 8 + 8 x W
 *   a free record:          +0x00  8  nextFree       u64; region offset of the next free record
 *                                                    of the type, 0 at the end of the list
 * </pre>
 *
 * <p>Capacity check: {@link #recordsPerSlab} is the largest n with
 * {@code 8 + 8 x ceil(n / 64) + n x recordSizeBytes <= slabSizeBytes}; a type whose record does
 * not fit even once is refused when the allocator is formatted.
 */
public final class SlabLayout {
    public static final int TYPE_ID_OFFSET = 0x000;
    public static final int SLAB_INDEX_OFFSET = 0x004;
    public static final int ALLOCATED_BITS_OFFSET = 0x008;
    /** Offset of the next-free pointer inside a free record. */
    public static final int NEXT_FREE_OFFSET = 0x000;

    public static final ValueLayout.OfInt TYPE_ID = LittleEndian.U32.withName("typeId");
    public static final ValueLayout.OfInt SLAB_INDEX = LittleEndian.U32.withName("slabIndex");
    public static final ValueLayout.OfLong ALLOCATED_BITS_WORD = LittleEndian.U64.withName("allocatedBits");
    public static final ValueLayout.OfLong NEXT_FREE = LittleEndian.U64.withName("nextFree");

    private SlabLayout() {
    }

    /** Records of {@code recordSizeBytes} in one slab of {@code slabSizeBytes}; 0 if none fits. */
    public static int recordsPerSlab(int slabSizeBytes, int recordSizeBytes) {
        int n = (slabSizeBytes - ALLOCATED_BITS_OFFSET) / recordSizeBytes;
        while (n > 0 && firstRecordOffsetBytes(n) + (long) n * recordSizeBytes > slabSizeBytes) {
            n--;
        }
        return n;
    }

    /** Slab offset of record 0 when the slab holds {@code recordsPerSlab} records. */
    public static int firstRecordOffsetBytes(int recordsPerSlab) {
        return ALLOCATED_BITS_OFFSET + 8 * bitmapWords(recordsPerSlab);
    }

    /** u64 words in the allocation bitmap of a slab of {@code recordsPerSlab} records. */
    public static int bitmapWords(int recordsPerSlab) {
        return (recordsPerSlab + 63) / 64;
    }
}
