package dev.rehype.region;

/**
 * One inconsistency that {@link RecordAllocator#audit()} found in the allocator's preserved state:
 * its kind, the record type concerned (0 when none), the region offset where it was seen (0 when
 * none), and a sentence for a report.
 */
public record AllocatorProblem(Kind kind, int typeId, long offsetBytes, String description) {

    /** What is inconsistent. */
    public enum Kind {
        /** The allocator header or a type-table entry is out of range or disagrees with the code. */
        HEADER,
        /** A slab names an unknown type or the wrong index, or has bits set past its last record. */
        SLAB_HEADER,
        /** A free-list pointer lies outside the carved slabs. */
        OUT_OF_BOUNDS,
        /** A free-list pointer lies in a slab of another type. */
        WRONG_TYPE,
        /** A free-list pointer is not on a record boundary. */
        MISALIGNED,
        /** A free list returns to a record it already passed. */
        CYCLE,
        /** A record is on the free list and marked allocated: freed twice, or allocated half-way. */
        DOUBLE_FREE,
        /** A record is neither allocated nor on its free list: it is lost. */
        LOST_FREE_RECORD,
        /** A stored count disagrees with what the slabs hold. */
        COUNT_MISMATCH,
    }

    @Override
    public String toString() {
        return kind + ": " + description;
    }
}
