package dev.rehype.region;

/**
 * The bytes are not a ReHype preserved region at all: the magic is missing or wrong (another
 * file was named, or the file is empty).
 */
public final class ForeignRegionException extends RegionException {
    public ForeignRegionException(String source, String fieldName, long fieldOffsetBytes, String problem) {
        super(source, fieldName, fieldOffsetBytes, problem);
    }
}
