package dev.rehype.region;

import java.lang.foreign.ValueLayout;

/**
 * Byte layout of the preserved region's header, the first {@link #HEADER_SIZE_BYTES} of every
 * region. The header says what the region is (magic, format version), how big it is, which
 * incarnation of the hypervisor owns it (generation), where everything else lives (the root
 * table) and whether it is whole (checksum and sealed word). All values little endian.
 *
 * <pre>
 * offset  size    field              meaning
 * ------  ------  -----------------  ---------------------------------------------------------
 * 0x000   8       magic              "RHYPREG1" in ASCII
 * 0x008   2       formatMajor        u16; a reader refuses any other major version
 * 0x00A   2       formatMinor        u16; any minor is accepted (a minor only adds fields)
 * 0x00C   4       headerSizeBytes    u32; a multiple of 4096, at least HEADER_SIZE_BYTES
 * 0x010   8       regionSizeBytes    u64; the whole region, header included (= file size)
 * 0x018   8       generation         u64; 1 at creation, +1 on every bumpGeneration()
 * 0x020   8       flags              u64; bits 0..31 compatible features (ignored when
 *                                    unknown), bits 32..63 incompatible features (a region
 *                                    with an unknown one is refused); none defined in 1.0
 * 0x028   4       rootSlotCapacity   u32; number of entries in the root table
 * 0x02C   4       checksum           u32; CRC32C of [0x000, 0x02C) then [0x038, headerSizeBytes)
 * 0x030   8       sealed             u64; SEALED_VALUE when whole, UNSEALED_VALUE while changing
 * 0x038   8       reserved           zero
 * 0x040   24 x N  rootTable          N = rootSlotCapacity entries:
 *                   +0x00  4  slotId       u32; a RootSlot id, 0 = empty entry
 *                   +0x04  4  reserved     zero
 *                   +0x08  8  offsetBytes  u64; region offset of what the slot names
 *                   +0x10  8  lengthBytes  u64; its length (&gt; 0 when slotId != 0)
 * 0x340   ...     reserved           zero up to headerSizeBytes (a later minor may use it)
 * </pre>
 *
 * <p>The checksum covers every header byte except itself and the sealed word; the generation is
 * covered, so every change of the generation recomputes the checksum (under the seal protocol,
 * see {@link PreservedRegion}). Root-slot rules checked on attach: a used entry lies inside
 * [headerSizeBytes, regionSizeBytes), starts at a multiple of 8, and overlaps no other used entry
 * except that any slot may lie wholly inside {@link RootSlot#RECORDS} (it then names records
 * allocated there); {@link RootSlot#MACHINE_MEMORY} is frame-aligned in offset and length;
 * MACHINE_MEMORY and RECORDS are always present; slot ids are unique.
 */
public final class RegionHeaderLayout {
    /** Format written by this code. A reader accepts this major version and any minor. */
    public static final int FORMAT_MAJOR = 1;
    public static final int FORMAT_MINOR = 0;

    /** Header size written by this code: one frame, so that what follows is frame-aligned. */
    public static final int HEADER_SIZE_BYTES = 4096;
    /** Header sizes are multiples of this (a newer minor may write a bigger header). */
    public static final int HEADER_GRANULE_BYTES = 4096;

    public static final String MAGIC_TEXT = "RHYPREG1";
    public static final long MAGIC_VALUE = LittleEndian.asciiWord(MAGIC_TEXT);
    /** The sealed word of a whole header: "SEALED!!" in ASCII. */
    public static final long SEALED_VALUE = LittleEndian.asciiWord("SEALED!!");
    /** The sealed word while the header is being created or changed. */
    public static final long UNSEALED_VALUE = 0L;

    public static final int MAGIC_OFFSET = 0x000;
    public static final int FORMAT_MAJOR_OFFSET = 0x008;
    public static final int FORMAT_MINOR_OFFSET = 0x00A;
    public static final int HEADER_SIZE_OFFSET = 0x00C;
    public static final int REGION_SIZE_OFFSET = 0x010;
    public static final int GENERATION_OFFSET = 0x018;
    public static final int FLAGS_OFFSET = 0x020;
    public static final int ROOT_SLOT_CAPACITY_OFFSET = 0x028;
    public static final int CHECKSUM_OFFSET = 0x02C;
    public static final int SEALED_OFFSET = 0x030;
    public static final int RESERVED_OFFSET = 0x038;
    public static final int ROOT_TABLE_OFFSET = 0x040;
    /** The fixed part: every field up to the root table. */
    public static final int FIXED_PART_SIZE_BYTES = ROOT_TABLE_OFFSET;

    public static final ValueLayout.OfLong MAGIC = LittleEndian.U64.withName("magic");
    public static final ValueLayout.OfShort FORMAT_MAJOR_FIELD = LittleEndian.U16.withName("formatMajor");
    public static final ValueLayout.OfShort FORMAT_MINOR_FIELD = LittleEndian.U16.withName("formatMinor");
    public static final ValueLayout.OfInt HEADER_SIZE = LittleEndian.U32.withName("headerSizeBytes");
    public static final ValueLayout.OfLong REGION_SIZE = LittleEndian.U64.withName("regionSizeBytes");
    public static final ValueLayout.OfLong GENERATION = LittleEndian.U64.withName("generation");
    public static final ValueLayout.OfLong FLAGS = LittleEndian.U64.withName("flags");
    public static final ValueLayout.OfInt ROOT_SLOT_CAPACITY = LittleEndian.U32.withName("rootSlotCapacity");
    public static final ValueLayout.OfInt CHECKSUM = LittleEndian.U32.withName("checksum");
    public static final ValueLayout.OfLong SEALED = LittleEndian.U64.withName("sealed");

    /** Incompatible-feature bits: a reader refuses a region with one it does not know. */
    public static final long INCOMPATIBLE_FLAGS_MASK = 0xFFFF_FFFF_0000_0000L;
    /** Incompatible features this code knows (none in format 1.0). */
    public static final long KNOWN_INCOMPATIBLE_FLAGS = 0L;

    /** Root-table entries written by this code; ids beyond the named ones are room for later. */
    public static final int ROOT_SLOT_CAPACITY_ENTRIES = 32;
    public static final int ROOT_ENTRY_SIZE_BYTES = 24;
    public static final int ROOT_ENTRY_SLOT_ID_OFFSET = 0x00;
    public static final int ROOT_ENTRY_RESERVED_OFFSET = 0x04;
    public static final int ROOT_ENTRY_OFFSET_OFFSET = 0x08;
    public static final int ROOT_ENTRY_LENGTH_OFFSET = 0x10;
    public static final ValueLayout.OfInt ROOT_ENTRY_SLOT_ID = LittleEndian.U32.withName("slotId");
    public static final ValueLayout.OfLong ROOT_ENTRY_OFFSET = LittleEndian.U64.withName("offsetBytes");
    public static final ValueLayout.OfLong ROOT_ENTRY_LENGTH = LittleEndian.U64.withName("lengthBytes");
    /** First byte after the root table written by this code. */
    public static final int ROOT_TABLE_END_OFFSET =
            ROOT_TABLE_OFFSET + ROOT_SLOT_CAPACITY_ENTRIES * ROOT_ENTRY_SIZE_BYTES;

    static {
        if (ROOT_TABLE_END_OFFSET > HEADER_SIZE_BYTES) {
            throw new AssertionError("root table (" + ROOT_TABLE_END_OFFSET
                    + " bytes) does not fit the " + HEADER_SIZE_BYTES + "-byte header");
        }
    }

    private RegionHeaderLayout() {
    }

    /** Header offset of root-table entry {@code index}. */
    public static long rootEntryOffsetBytes(int index) {
        return ROOT_TABLE_OFFSET + (long) index * ROOT_ENTRY_SIZE_BYTES;
    }

    /** Offset as the diagram prints it: {@code 0x02C}. */
    static String hex(long offset) {
        return String.format("0x%03X", offset);
    }
}
