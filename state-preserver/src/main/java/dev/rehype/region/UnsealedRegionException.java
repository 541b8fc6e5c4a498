package dev.rehype.region;

/**
 * The region's sealed word is clear: a writer was creating or changing the header and did not
 * finish (it crashed between unsealing and resealing), so nothing in the header can be trusted.
 */
public final class UnsealedRegionException extends RegionException {
    public UnsealedRegionException(String source, String fieldName, long fieldOffsetBytes, String problem) {
        super(source, fieldName, fieldOffsetBytes, problem);
    }
}
