package dev.rehype.region;

import static dev.rehype.region.RegionHeaderLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads and writes the fields of a region header in place (layout in {@link RegionHeaderLayout}),
 * and implements the seal protocol: {@link #unseal} before changing any header byte,
 * {@link #reseal} after, which recomputes the checksum and then writes the sealed word last with
 * release semantics. Readers load the sealed word with acquire semantics, so a reader that sees
 * it sealed also sees every header byte written before it.
 */
final class RegionHeader {
    /** The sealed word's var handle; coordinates (MemorySegment, long offset). */
    private static final VarHandle SEALED_HANDLE = SEALED.varHandle();

    private RegionHeader() {
    }

    /** Lays a fresh header over the first bytes of {@code segment} for {@code spec}, and seals it. */
    static void format(MemorySegment segment, RegionSpec spec) {
        unseal(segment);
        segment.asSlice(0, HEADER_SIZE_BYTES).fill((byte) 0);
        segment.set(MAGIC, MAGIC_OFFSET, MAGIC_VALUE);
        segment.set(FORMAT_MAJOR_FIELD, FORMAT_MAJOR_OFFSET, (short) FORMAT_MAJOR);
        segment.set(FORMAT_MINOR_FIELD, FORMAT_MINOR_OFFSET, (short) FORMAT_MINOR);
        segment.set(HEADER_SIZE, HEADER_SIZE_OFFSET, HEADER_SIZE_BYTES);
        segment.set(REGION_SIZE, REGION_SIZE_OFFSET, spec.totalSizeBytes());
        segment.set(GENERATION, GENERATION_OFFSET, 1L);
        segment.set(FLAGS, FLAGS_OFFSET, 0L);
        segment.set(ROOT_SLOT_CAPACITY, ROOT_SLOT_CAPACITY_OFFSET, ROOT_SLOT_CAPACITY_ENTRIES);
        writeRootEntry(segment, 0, new RootSlotEntry(RootSlot.MACHINE_MEMORY,
                spec.machineMemoryOffsetBytes(), spec.machineMemorySizeBytes()));
        writeRootEntry(segment, 1, new RootSlotEntry(RootSlot.RECORDS,
                spec.recordsOffsetBytes(), spec.recordsSizeBytes()));
        reseal(segment, HEADER_SIZE_BYTES);
    }

    /** Clears the sealed word; every later store of this thread is ordered after it. */
    static void unseal(MemorySegment segment) {
        SEALED_HANDLE.setVolatile(segment, (long) SEALED_OFFSET, UNSEALED_VALUE);
    }

    /** Recomputes the checksum, then sets the sealed word last, with release semantics. */
    static void reseal(MemorySegment segment, long headerSizeBytes) {
        segment.set(CHECKSUM, CHECKSUM_OFFSET, checksum(segment, headerSizeBytes));
        SEALED_HANDLE.setRelease(segment, (long) SEALED_OFFSET, SEALED_VALUE);
    }

    /** The sealed word, read with acquire semantics. */
    static long sealedWord(MemorySegment segment) {
        return (long) SEALED_HANDLE.getAcquire(segment, (long) SEALED_OFFSET);
    }

    /** CRC32C of the header bytes [0, CHECKSUM_OFFSET) and [RESERVED_OFFSET, headerSizeBytes). */
    static int checksum(MemorySegment segment, long headerSizeBytes) {
        CRC32C crc = new CRC32C();
        crc.update(segment.asSlice(0, CHECKSUM_OFFSET).asByteBuffer());
        crc.update(segment.asSlice(RESERVED_OFFSET, headerSizeBytes - RESERVED_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }

    static long headerSizeBytes(MemorySegment segment) {
        return Integer.toUnsignedLong(segment.get(HEADER_SIZE, HEADER_SIZE_OFFSET));
    }

    static long generation(MemorySegment segment) {
        return segment.get(GENERATION, GENERATION_OFFSET);
    }

    static void setGeneration(MemorySegment segment, long generation) {
        segment.set(GENERATION, GENERATION_OFFSET, generation);
    }

    static long rootSlotCapacity(MemorySegment segment) {
        return Integer.toUnsignedLong(segment.get(ROOT_SLOT_CAPACITY, ROOT_SLOT_CAPACITY_OFFSET));
    }

    /** The root-table entry at {@code index}, or null when it is empty (slot id 0). */
    static RootSlotEntry readRootEntry(MemorySegment segment, int index) {
        long base = rootEntryOffsetBytes(index);
        int slotId = segment.get(ROOT_ENTRY_SLOT_ID, base + ROOT_ENTRY_SLOT_ID_OFFSET);
        if (slotId == 0) {
            return null;
        }
        return new RootSlotEntry(slotId, segment.get(ROOT_ENTRY_OFFSET, base + ROOT_ENTRY_OFFSET_OFFSET),
                segment.get(ROOT_ENTRY_LENGTH, base + ROOT_ENTRY_LENGTH_OFFSET));
    }

    /** Writes entry {@code index}; null writes an empty entry. The header must be unsealed. */
    static void writeRootEntry(MemorySegment segment, int index, RootSlotEntry entry) {
        long base = rootEntryOffsetBytes(index);
        segment.set(ROOT_ENTRY_SLOT_ID, base + ROOT_ENTRY_SLOT_ID_OFFSET, entry == null ? 0 : entry.slotId());
        segment.set(LittleEndian.U32, base + ROOT_ENTRY_RESERVED_OFFSET, 0);
        segment.set(ROOT_ENTRY_OFFSET, base + ROOT_ENTRY_OFFSET_OFFSET, entry == null ? 0 : entry.offsetBytes());
        segment.set(ROOT_ENTRY_LENGTH, base + ROOT_ENTRY_LENGTH_OFFSET, entry == null ? 0 : entry.lengthBytes());
    }

    /** Every used entry, in table order. */
    static List<RootSlotEntry> rootEntries(MemorySegment segment) {
        int capacity = (int) rootSlotCapacity(segment);
        List<RootSlotEntry> entries = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            RootSlotEntry entry = readRootEntry(segment, i);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
