package dev.rehype.region;

import java.lang.foreign.ValueLayout;

/**
 * Byte layout of the record allocator's state at the start of the records area (offsets are
 * relative to the records area; pointers stored in it are region offsets). The slabs follow it;
 * their layout is {@link SlabLayout}.
 *
 * <pre>
 * area offset  size     field             meaning
 * -----------  -------  ----------------  -----------------------------------------------------
 * 0x000        8        magic             "RHYPALC1" in ASCII
 * 0x008        2        layoutMajor       u16; this code reads 1 only
 * 0x00A        2        layoutMinor       u16
 * 0x00C        4        slabSizeBytes     u32; a power of two in [MIN_SLAB_SIZE, MAX_SLAB_SIZE]
 * 0x010        4        slabCapacity      u32; slabs that fit the area after SLABS_OFFSET
 * 0x014        4        slabsCarved       u32; slabs handed to a type so far, in address order
 * 0x018        4        typeCapacity      u32; entries in the type table (TYPE_CAPACITY)
 * 0x01C        4        reserved          zero
 * 0x020        8        slabsOffsetBytes  u64; area offset of slab 0 (= SLABS_OFFSET)
 * 0x028        24       reserved          zero
 * 0x040        32 x 32  typeTable         TYPE_CAPACITY entries, in registration order:
 *                +0x00  4  typeId                  u32; 0 = empty entry
 *                +0x04  4  recordSizeBytes         u32
 *                +0x08  4  recordsPerSlab          u32; derived from slab and record size
 *                +0x0C  4  firstRecordOffsetBytes  u32; slab offset of record 0 (derived)
 *                +0x10  8  freeHeadOffsetBytes     u64; region offset of the first free
 *                                                  record, 0 when the free list is empty
 *                +0x18  4  allocatedCount          u32; records of the type now allocated
 *                +0x1C  4  slabCount               u32; slabs carved for the type
 * 0x440        ...      slabs             slabCapacity x slabSizeBytes
 * </pre>
 */
public final class RecordAllocatorLayout {
    public static final String MAGIC_TEXT = "RHYPALC1";
    public static final long MAGIC_VALUE = LittleEndian.asciiWord(MAGIC_TEXT);
    public static final int LAYOUT_MAJOR = 1;
    public static final int LAYOUT_MINOR = 0;

    public static final int MIN_SLAB_SIZE_BYTES = 256;
    public static final int MAX_SLAB_SIZE_BYTES = 1 << 20;
    public static final int DEFAULT_SLAB_SIZE_BYTES = 4096;

    public static final int MAGIC_OFFSET = 0x000;
    public static final int LAYOUT_MAJOR_OFFSET = 0x008;
    public static final int LAYOUT_MINOR_OFFSET = 0x00A;
    public static final int SLAB_SIZE_OFFSET = 0x00C;
    public static final int SLAB_CAPACITY_OFFSET = 0x010;
    public static final int SLABS_CARVED_OFFSET = 0x014;
    public static final int TYPE_CAPACITY_OFFSET = 0x018;
    public static final int SLABS_OFFSET_OFFSET = 0x020;
    public static final int TYPE_TABLE_OFFSET = 0x040;

    public static final ValueLayout.OfLong MAGIC = LittleEndian.U64.withName("magic");
    public static final ValueLayout.OfShort LAYOUT_MAJOR_FIELD = LittleEndian.U16.withName("layoutMajor");
    public static final ValueLayout.OfShort LAYOUT_MINOR_FIELD = LittleEndian.U16.withName("layoutMinor");
    public static final ValueLayout.OfInt SLAB_SIZE = LittleEndian.U32.withName("slabSizeBytes");
    public static final ValueLayout.OfInt SLAB_CAPACITY = LittleEndian.U32.withName("slabCapacity");
    public static final ValueLayout.OfInt SLABS_CARVED = LittleEndian.U32.withName("slabsCarved");
    public static final ValueLayout.OfInt TYPE_CAPACITY_FIELD = LittleEndian.U32.withName("typeCapacity");
    public static final ValueLayout.OfLong SLABS_OFFSET_FIELD = LittleEndian.U64.withName("slabsOffsetBytes");

    public static final int TYPE_CAPACITY = 32;
    public static final int TYPE_ENTRY_SIZE_BYTES = 32;
    public static final int TYPE_ID_OFFSET = 0x00;
    public static final int TYPE_RECORD_SIZE_OFFSET = 0x04;
    public static final int TYPE_RECORDS_PER_SLAB_OFFSET = 0x08;
    public static final int TYPE_FIRST_RECORD_OFFSET = 0x0C;
    public static final int TYPE_FREE_HEAD_OFFSET = 0x10;
    public static final int TYPE_ALLOCATED_COUNT_OFFSET = 0x18;
    public static final int TYPE_SLAB_COUNT_OFFSET = 0x1C;
    public static final ValueLayout.OfInt TYPE_ID = LittleEndian.U32.withName("typeId");
    public static final ValueLayout.OfInt TYPE_RECORD_SIZE = LittleEndian.U32.withName("recordSizeBytes");
    public static final ValueLayout.OfInt TYPE_RECORDS_PER_SLAB = LittleEndian.U32.withName("recordsPerSlab");
    public static final ValueLayout.OfInt TYPE_FIRST_RECORD = LittleEndian.U32.withName("firstRecordOffsetBytes");
    public static final ValueLayout.OfLong TYPE_FREE_HEAD = LittleEndian.U64.withName("freeHeadOffsetBytes");
    public static final ValueLayout.OfInt TYPE_ALLOCATED_COUNT = LittleEndian.U32.withName("allocatedCount");
    public static final ValueLayout.OfInt TYPE_SLAB_COUNT = LittleEndian.U32.withName("slabCount");

    /** Area offset of slab 0: after the type table, 64-byte aligned. */
    public static final int SLABS_OFFSET = align(TYPE_TABLE_OFFSET + TYPE_CAPACITY * TYPE_ENTRY_SIZE_BYTES, 64);

    private RecordAllocatorLayout() {
    }

    /** Area offset of type-table entry {@code index}. */
    public static long typeEntryOffsetBytes(int index) {
        return TYPE_TABLE_OFFSET + (long) index * TYPE_ENTRY_SIZE_BYTES;
    }

    /** Slabs of {@code slabSizeBytes} that fit a records area of {@code areaSizeBytes}. */
    public static long slabCapacityFor(long areaSizeBytes, int slabSizeBytes) {
        return Math.max(0, (areaSizeBytes - SLABS_OFFSET) / slabSizeBytes);
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }
}
