package dev.rehype.region;

/**
 * The size of a region to create: {@code totalSizeBytes} in all, of which
 * {@code machineMemorySizeBytes} of machine memory (whole 4 KiB frames) and
 * {@code recordsSizeBytes} of records area; whatever the header and those two leave is spare, at
 * the end, for slots the hypervisor places later. Created regions are laid out as
 * header | machine memory | records area | spare, in that order.
 */
public record RegionSpec(long totalSizeBytes, long machineMemorySizeBytes, long recordsSizeBytes) {
    /** Machine frames are 4 KiB. */
    public static final int FRAME_SIZE_BYTES = 4096;

    public RegionSpec {
        if (machineMemorySizeBytes <= 0 || machineMemorySizeBytes % FRAME_SIZE_BYTES != 0) {
            throw new IllegalArgumentException("machineMemorySizeBytes must be a positive multiple of "
                    + FRAME_SIZE_BYTES + " (whole frames), got " + machineMemorySizeBytes);
        }
        if (recordsSizeBytes <= 0 || recordsSizeBytes % 8 != 0) {
            throw new IllegalArgumentException("recordsSizeBytes must be a positive multiple of 8, got "
                    + recordsSizeBytes);
        }
        if (totalSizeBytes % 8 != 0) {
            throw new IllegalArgumentException("totalSizeBytes must be a multiple of 8, got " + totalSizeBytes);
        }
        long minimum = minimumTotalSizeBytes(machineMemorySizeBytes, recordsSizeBytes);
        if (totalSizeBytes < minimum) {
            throw new IllegalArgumentException("totalSizeBytes " + totalSizeBytes + " is less than the "
                    + minimum + " bytes that the header (" + RegionHeaderLayout.HEADER_SIZE_BYTES
                    + "), machine memory (" + machineMemorySizeBytes + ") and records area ("
                    + recordsSizeBytes + ") need");
        }
    }

    /** A region exactly big enough for the header, the machine memory and the records area. */
    public static RegionSpec of(long machineMemorySizeBytes, long recordsSizeBytes) {
        return new RegionSpec(minimumTotalSizeBytes(machineMemorySizeBytes, recordsSizeBytes),
                machineMemorySizeBytes, recordsSizeBytes);
    }

    /** Number of machine frames. */
    public long machineFrames() {
        return machineMemorySizeBytes / FRAME_SIZE_BYTES;
    }

    /** Region offset of machine memory: right after the header. */
    public long machineMemoryOffsetBytes() {
        return RegionHeaderLayout.HEADER_SIZE_BYTES;
    }

    /** Region offset of the records area: right after machine memory. */
    public long recordsOffsetBytes() {
        return machineMemoryOffsetBytes() + machineMemorySizeBytes;
    }

    private static long minimumTotalSizeBytes(long machineMemorySizeBytes, long recordsSizeBytes) {
        return Math.addExact(Math.addExact(RegionHeaderLayout.HEADER_SIZE_BYTES, machineMemorySizeBytes),
                recordsSizeBytes);
    }
}
