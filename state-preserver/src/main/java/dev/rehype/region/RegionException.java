package dev.rehype.region;

/**
 * Why a region was refused on attach: the region is foreign, unsealed, of another format version,
 * or damaged. Each carries one message that names the region (its file, or "anonymous region"),
 * the field at fault with its offset, and what is wrong with it, and is meant to be shown to the
 * user as it is: it records no stack trace, since the fault is in the data, not in the code.
 * A refused region is never modified.
 */
public abstract sealed class RegionException extends Exception
        permits ForeignRegionException, UnsealedRegionException, RegionVersionException, DamagedRegionException {

    private final String source;
    private final String fieldName;
    private final long fieldOffsetBytes;

    /**
     * @param source the region, as {@link PreservedRegion#source()} names it
     * @param fieldName the field at fault, as the layout diagram names it
     * @param fieldOffsetBytes its region offset
     * @param problem what is wrong, as one clause (no leading source or field)
     */
    RegionException(String source, String fieldName, long fieldOffsetBytes, String problem) {
        super(source + ": " + fieldName + " at offset " + RegionHeaderLayout.hex(fieldOffsetBytes) + ": " + problem,
                null, false, false);
        this.source = source;
        this.fieldName = fieldName;
        this.fieldOffsetBytes = fieldOffsetBytes;
    }

    /** The region: "region file PATH" or "anonymous region". */
    public String source() {
        return source;
    }

    /** The field at fault, as the layout diagram names it (for example {@code checksum}). */
    public String fieldName() {
        return fieldName;
    }

    /** Region offset of the field at fault. */
    public long fieldOffsetBytes() {
        return fieldOffsetBytes;
    }
}
