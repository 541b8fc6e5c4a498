package dev.rehype.region;

import static dev.rehype.region.RegionHeaderLayout.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The checks run on every attach, in this order, each refusing with a typed {@link RegionException}
 * whose message names the field at fault: magic (foreign), format major version (version), sealed
 * word (unsealed; a value that is neither sealed nor unsealed is damage), header size against the
 * bytes there are, checksum, region size against the bytes there are, incompatible feature flags
 * (version), root-slot capacity, then every root-table entry (placement rules in
 * {@link RegionHeaderLayout}). The order puts the most specific diagnosis first: a header caught
 * mid-change is reported as unsealed, not as a checksum mismatch. Validation only reads.
 */
final class RegionValidator {
    private RegionValidator() {
    }

    /** Checks {@code segment} (all of the region's bytes there are) and returns normally if it is whole. */
    static void validate(MemorySegment segment, String source) throws RegionException {
        long availableBytes = segment.byteSize();
        if (availableBytes < 8) {
            throw new ForeignRegionException(source, "magic", MAGIC_OFFSET, "the region is " + availableBytes
                    + " bytes, too short for the 8-byte magic \"" + MAGIC_TEXT + "\"; not a ReHype preserved region");
        }
        long magic = segment.get(MAGIC, MAGIC_OFFSET);
        if (magic != MAGIC_VALUE) {
            throw new ForeignRegionException(source, "magic", MAGIC_OFFSET, "found " + describeBytes(segment, 8)
                    + ", expected \"" + MAGIC_TEXT + "\"; not a ReHype preserved region");
        }
        if (availableBytes < FIXED_PART_SIZE_BYTES) {
            throw new DamagedRegionException(source, "headerSizeBytes", HEADER_SIZE_OFFSET, "the region is "
                    + availableBytes + " bytes, shorter than the " + FIXED_PART_SIZE_BYTES
                    + "-byte fixed part of the header; the file is truncated");
        }
        int major = Short.toUnsignedInt(segment.get(FORMAT_MAJOR_FIELD, FORMAT_MAJOR_OFFSET));
        int minor = Short.toUnsignedInt(segment.get(FORMAT_MINOR_FIELD, FORMAT_MINOR_OFFSET));
        if (major != FORMAT_MAJOR) {
            throw new RegionVersionException(source, "formatMajor", FORMAT_MAJOR_OFFSET, "the region has format "
                    + major + "." + minor + "; this code reads format " + FORMAT_MAJOR + ".x only");
        }
        long sealed = RegionHeader.sealedWord(segment);
        if (sealed == UNSEALED_VALUE) {
            throw new UnsealedRegionException(source, "sealed", SEALED_OFFSET, "the region is not sealed: a writer"
                    + " was creating or changing the header and did not finish (it crashed?); refused");
        }
        if (sealed != SEALED_VALUE) {
            throw new DamagedRegionException(source, "sealed", SEALED_OFFSET, "holds 0x" + Long.toHexString(sealed)
                    + ", neither the sealed value 0x" + Long.toHexString(SEALED_VALUE) + " nor 0 (unsealed)");
        }
        long headerSizeBytes = RegionHeader.headerSizeBytes(segment);
        if (headerSizeBytes < HEADER_SIZE_BYTES || headerSizeBytes % HEADER_GRANULE_BYTES != 0) {
            throw new DamagedRegionException(source, "headerSizeBytes", HEADER_SIZE_OFFSET, "is " + headerSizeBytes
                    + "; a header is a multiple of " + HEADER_GRANULE_BYTES + " bytes and at least "
                    + HEADER_SIZE_BYTES);
        }
        if (headerSizeBytes > availableBytes) {
            throw new DamagedRegionException(source, "headerSizeBytes", HEADER_SIZE_OFFSET, "is " + headerSizeBytes
                    + " but the region is only " + availableBytes + " bytes; the file is truncated");
        }
        int storedChecksum = segment.get(CHECKSUM, CHECKSUM_OFFSET);
        int actualChecksum = RegionHeader.checksum(segment, headerSizeBytes);
        if (storedChecksum != actualChecksum) {
            throw new DamagedRegionException(source, "checksum", CHECKSUM_OFFSET, String.format(
                    "is 0x%08x but the header bytes give 0x%08x; the header is damaged",
                    storedChecksum, actualChecksum));
        }
        long regionSizeBytes = segment.get(REGION_SIZE, REGION_SIZE_OFFSET);
        if (regionSizeBytes != availableBytes) {
            String problem = regionSizeBytes < 0 || regionSizeBytes > availableBytes
                    ? "; the file is truncated" : "; the file is longer than the region it holds";
            throw new DamagedRegionException(source, "regionSizeBytes", REGION_SIZE_OFFSET, "is "
                    + Long.toUnsignedString(regionSizeBytes) + " but the region has " + availableBytes + " bytes"
                    + problem);
        }
        long unknownIncompatible = segment.get(FLAGS, FLAGS_OFFSET) & INCOMPATIBLE_FLAGS_MASK
                & ~KNOWN_INCOMPATIBLE_FLAGS;
        if (unknownIncompatible != 0) {
            throw new RegionVersionException(source, "flags", FLAGS_OFFSET, "incompatible feature bits 0x"
                    + Long.toHexString(unknownIncompatible) + " are set, which this code (format "
                    + FORMAT_MAJOR + "." + FORMAT_MINOR + ") does not know");
        }
        long capacity = RegionHeader.rootSlotCapacity(segment);
        if (capacity == 0 || ROOT_TABLE_OFFSET + capacity * ROOT_ENTRY_SIZE_BYTES > headerSizeBytes) {
            throw new DamagedRegionException(source, "rootSlotCapacity", ROOT_SLOT_CAPACITY_OFFSET, "is " + capacity
                    + "; a root table of that many " + ROOT_ENTRY_SIZE_BYTES + "-byte entries at "
                    + hex(ROOT_TABLE_OFFSET) + " does not fit the " + headerSizeBytes + "-byte header");
        }
        validateRootTable(segment, source, (int) capacity, headerSizeBytes, regionSizeBytes);
    }

    private static void validateRootTable(MemorySegment segment, String source, int capacity, long headerSizeBytes,
            long regionSizeBytes) throws DamagedRegionException {
        List<RootSlotEntry> accepted = new ArrayList<>();
        List<Integer> acceptedIndexes = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            long base = rootEntryOffsetBytes(i);
            String entryName = "rootTable[" + i + "]";
            int slotId = segment.get(ROOT_ENTRY_SLOT_ID, base + ROOT_ENTRY_SLOT_ID_OFFSET);
            long offsetBytes = segment.get(ROOT_ENTRY_OFFSET, base + ROOT_ENTRY_OFFSET_OFFSET);
            long lengthBytes = segment.get(ROOT_ENTRY_LENGTH, base + ROOT_ENTRY_LENGTH_OFFSET);
            if (slotId == 0) {
                if (offsetBytes != 0 || lengthBytes != 0) {
                    throw new DamagedRegionException(source, entryName + ".offsetBytes",
                            base + ROOT_ENTRY_OFFSET_OFFSET, "an empty entry (slotId 0) must have offset and length 0,"
                                    + " found offset 0x" + Long.toHexString(offsetBytes) + " and length "
                                    + Long.toUnsignedString(lengthBytes));
                }
                continue;
            }
            for (int j = 0; j < accepted.size(); j++) {
                if (accepted.get(j).slotId() == slotId) {
                    throw new DamagedRegionException(source, "rootTable[" + i + "].slotId",
                            base + ROOT_ENTRY_SLOT_ID_OFFSET, "slot " + RootSlot.name(slotId)
                                    + " appears twice (also in rootTable[" + acceptedIndexes.get(j) + "])");
                }
            }
            RootSlotEntry entry = new RootSlotEntry(slotId, offsetBytes, lengthBytes);
            Placement problem = placementProblem(entry, accepted, headerSizeBytes, regionSizeBytes);
            if (problem != null) {
                String field = "rootTable[" + i + "]." + problem.field() + " (slot " + RootSlot.name(slotId) + ")";
                long fieldOffset = base + (problem.field().equals("offsetBytes")
                        ? ROOT_ENTRY_OFFSET_OFFSET : ROOT_ENTRY_LENGTH_OFFSET);
                throw new DamagedRegionException(source, field, fieldOffset, problem.text());
            }
            accepted.add(entry);
            acceptedIndexes.add(i);
        }
        for (int required : new int[] {RootSlot.MACHINE_MEMORY, RootSlot.RECORDS}) {
            if (accepted.stream().noneMatch(e -> e.slotId() == required)) {
                throw new DamagedRegionException(source, "rootTable", ROOT_TABLE_OFFSET, "has no slot "
                        + RootSlot.name(required) + " (id " + required + "); every region has one");
            }
        }
    }

    /** What is wrong with one root-table entry's placement: the field at fault and why. */
    record Placement(String field, String text) {
    }

    /**
     * Why {@code entry} cannot sit among the already placed {@code others} in a region with this
     * header and region size, or null when it can. The rules are those of {@link RegionHeaderLayout}.
     */
    static Placement placementProblem(RootSlotEntry entry, List<RootSlotEntry> others, long headerSizeBytes,
            long regionSizeBytes) {
        long offsetBytes = entry.offsetBytes();
        long lengthBytes = entry.lengthBytes();
        if (lengthBytes == 0) {
            return new Placement("lengthBytes", "is 0; a used entry names at least one byte");
        }
        if (offsetBytes < headerSizeBytes) {
            return new Placement("offsetBytes", "is 0x" + Long.toHexString(offsetBytes)
                    + ", inside the header (headerSizeBytes = " + headerSizeBytes + ") or past 2^63");
        }
        if (offsetBytes >= regionSizeBytes) {
            return new Placement("offsetBytes", "is 0x" + Long.toHexString(offsetBytes)
                    + ", at or past the end of the region (regionSizeBytes = 0x" + Long.toHexString(regionSizeBytes)
                    + ")");
        }
        if (lengthBytes < 0 || lengthBytes > regionSizeBytes - offsetBytes) {
            return new Placement("lengthBytes", "is " + Long.toUnsignedString(lengthBytes) + ": the slot at 0x"
                    + Long.toHexString(offsetBytes) + " would end past the end of the region (regionSizeBytes = 0x"
                    + Long.toHexString(regionSizeBytes) + ")");
        }
        if (offsetBytes % 8 != 0) {
            return new Placement("offsetBytes", "is 0x" + Long.toHexString(offsetBytes) + ", not a multiple of 8");
        }
        if (entry.slotId() == RootSlot.MACHINE_MEMORY) {
            if (offsetBytes % RegionSpec.FRAME_SIZE_BYTES != 0) {
                return new Placement("offsetBytes", "is 0x" + Long.toHexString(offsetBytes)
                        + "; machine memory starts on a frame boundary (" + RegionSpec.FRAME_SIZE_BYTES + " bytes)");
            }
            if (lengthBytes % RegionSpec.FRAME_SIZE_BYTES != 0) {
                return new Placement("lengthBytes", "is " + lengthBytes + "; machine memory is whole frames ("
                        + RegionSpec.FRAME_SIZE_BYTES + " bytes)");
            }
        }
        for (RootSlotEntry other : others) {
            boolean nested = (other.slotId() == RootSlot.RECORDS && other.contains(entry))
                    || (entry.slotId() == RootSlot.RECORDS && entry.contains(other));
            if (entry.overlaps(other) && !nested) {
                return new Placement("offsetBytes", "the slot " + entry + " overlaps slot " + other
                        + "; slots may overlap only by lying wholly inside RECORDS");
            }
        }
        return null;
    }

    /** The first {@code count} bytes, as hex and as printable ASCII. */
    private static String describeBytes(MemorySegment segment, int count) {
        byte[] bytes = segment.asSlice(0, count).toArray(LittleEndian.U8);
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
        }
        return HexFormat.ofDelimiter(" ").formatHex(bytes) + " (\"" + text + "\")";
    }
}
