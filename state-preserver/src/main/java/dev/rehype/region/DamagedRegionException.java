package dev.rehype.region;

/**
 * The region claims to be a sealed ReHype region of a known version, but its content contradicts
 * itself: a checksum mismatch, a size or offset out of bounds, overlapping slots, a file shorter
 * than the header says, a records area without a valid allocator header.
 */
public final class DamagedRegionException extends RegionException {
    public DamagedRegionException(String source, String fieldName, long fieldOffsetBytes, String problem) {
        super(source, fieldName, fieldOffsetBytes, problem);
    }
}
