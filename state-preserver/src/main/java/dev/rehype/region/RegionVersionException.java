package dev.rehype.region;

/**
 * The region is a ReHype region this code cannot read: another major format version, an
 * incompatible feature flag this code does not know, or preserved records whose layout differs
 * from this code's. A newer minor version alone is accepted.
 */
public final class RegionVersionException extends RegionException {
    public RegionVersionException(String source, String fieldName, long fieldOffsetBytes, String problem) {
        super(source, fieldName, fieldOffsetBytes, problem);
    }
}
